namespace BatchNormLab.Experiments;

/// <summary>
/// The "typical sigmoid input" of the paper's Figure 1(b, c), chosen by rule instead of by eye: in one hidden
/// layer, rank every unit by how far its 15/50/85th percentile band travelled over the whole run (total
/// variation from step 0, <see cref="BandMovement"/>) separately in the two networks, and take the unit
/// whose worse rank is closest to the middle: typical without BN and typical with BN at once. Unit k is the
/// same unit in both networks (same initial weights).
/// </summary>
/// <param name="Unit">The chosen unit's index.</param>
/// <param name="MovementWithout">Every unit's band total variation without BN (index = unit).</param>
/// <param name="MovementWith">Every unit's band total variation with BN.</param>
/// <param name="RankWithout">The chosen unit's position among all units without BN: 0 = moved least, 1 = moved most.</param>
/// <param name="RankWith">Its position with BN.</param>
public sealed record Figure1TypicalUnit(int Unit, double[] MovementWithout, double[] MovementWith, double RankWithout, double RankWith)
{
    /// <summary>Chooses the unit of <paramref name="without"/> and <paramref name="with"/> (the same layer of the two networks), probed at <paramref name="steps"/>.</summary>
    public static Figure1TypicalUnit Choose(Figure1LayerRecord without, Figure1LayerRecord with, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(without);
        ArgumentNullException.ThrowIfNull(with);
        if (without.Units != with.Units) throw new ArgumentException($"The two layers have {without.Units} and {with.Units} units; compare the same layer of the pair.", nameof(with));
        var a = Enumerable.Range(0, without.Units).Select(j => without.UnitMovement(j, steps).BandTotalVariation).ToArray();
        var b = Enumerable.Range(0, with.Units).Select(j => with.UnitMovement(j, steps).BandTotalVariation).ToArray();
        var ra = Ranks(a);
        var rb = Ranks(b);
        var unit = Enumerable.Range(0, a.Length).MinBy(j => (Math.Max(Math.Abs(ra[j] - 0.5), Math.Abs(rb[j] - 0.5)), j));
        return new Figure1TypicalUnit(unit, a, b, ra[unit], rb[unit]);
    }

    /// <summary>Each value's position among all: (number of smaller values) / (n − 1), 0 for the smallest, 1 for the largest.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) throw new ArgumentException("Ranks need at least 2 values.", nameof(values));
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[values.Count];
        for (var r = 0; r < order.Length; r++) ranks[order[r]] = (double)r / (values.Count - 1);
        return ranks;
    }
}
