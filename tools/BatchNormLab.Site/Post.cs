using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchNormLab.Site;

/// <summary>What the index and the navigation say about one lesson.</summary>
/// <param name="Name">File name without extension (01-the-algorithm); the page is Name.html.</param>
/// <param name="Number">The lesson's number as its file name writes it ("01").</param>
/// <param name="Title">The first heading without its number ("The algorithm: batch normalization by hand").</param>
/// <param name="Summary">One or two sentences: the notebook's metadata <c>batchnormlab.summary</c>, else its first paragraph.</param>
/// <param name="Minutes">Reading time of the prose at 200 words a minute (at least 1).</param>
public sealed partial record Post(string Name, string Number, string Title, string Summary, int Minutes)
{
    /// <summary>Words a reader reads in a minute, for <see cref="Minutes"/>.</summary>
    public const int WordsPerMinute = 200;

    /// <summary>The page's file name.</summary>
    public string File => Name + ".html";

    /// <summary>Reads a committed notebook's title, summary and length.</summary>
    public static Post Of(string notebook, string title)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(notebook))!;
        var name = Path.GetFileNameWithoutExtension(notebook);
        var number = NumberRegex().Match(name) is { Success: true } n ? n.Value : "";
        var shortTitle = TitleNumberRegex().Replace(title, "").Trim();
        var markdown = (root["cells"]?.AsArray() ?? [])
            .Where(c => (string?)c?["cell_type"] == "markdown")
            .Select(c => OutputCleaner.SourceText(c!["source"])).ToList();
        var words = markdown.Sum(m => WordRegex().Matches(m).Count);
        var summary = (string?)root["metadata"]?["batchnormlab"]?["summary"] ?? FirstParagraph(markdown.FirstOrDefault() ?? "");
        return new Post(name, number, shortTitle, summary, Math.Max(1, (int)Math.Ceiling(words / (double)WordsPerMinute)));
    }

    private static string FirstParagraph(string markdown)
    {
        var paragraph = markdown.Split("\n\n").Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#')) ?? "";
        return Regex.Replace(paragraph.Replace('\n', ' '), @"[*_`]", "");
    }

    [GeneratedRegex("^[0-9]+")]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"^[0-9]+\s*[·.:-]\s*")]
    private static partial Regex TitleNumberRegex();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordRegex();
}
