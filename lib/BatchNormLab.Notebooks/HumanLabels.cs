namespace BatchNormLab.Notebooks;

/// <summary>
/// The library's enum names as a reader says them, for chart legends, categories and table cells
/// (a notebook often labels a run with <c>kind.ToString()</c>). Only whole names are replaced; a
/// label made of names joined by " / " has each part replaced.
/// </summary>
public static class HumanLabels
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["None"] = "no normalisation",
        ["BatchNorm"] = "BN",
        ["BatchRenorm"] = "batch renorm",
        ["LayerNorm"] = "layer norm",
        ["Shuffled"] = "shuffled",
        ["FewClasses"] = "few classes",
        ["SortedByClass"] = "sorted by class",
    };

    /// <summary><paramref name="label"/> with every enum name in it (whole, or a " / " part) in words.</summary>
    public static string Of(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (Words.TryGetValue(label, out var word)) return word;
        return label.Contains(" / ", StringComparison.Ordinal)
            ? string.Join(" / ", label.Split(" / ").Select(p => Words.GetValueOrDefault(p, p)))
            : label;
    }
}
