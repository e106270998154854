using BatchNormLab.Activations;

namespace BatchNormLab.Training;

/// <summary>
/// How one set of values (a layer's nonlinearity inputs, or one unit's) was distributed at each probed
/// step: chart <c>Percentile(85)</c> etc. against <see cref="TrainingHistory.ProbeSteps"/>. Index k of
/// every array belongs to probe k.
/// </summary>
public sealed class DistributionSeries
{
    private readonly int[] _order;
    private readonly double[] _ascending;

    internal DistributionSeries(double[] percentileLevels, int capacity)
    {
        PercentileLevels = percentileLevels;
        _order = Enumerable.Range(0, percentileLevels.Length).OrderBy(i => percentileLevels[i]).ToArray();
        _ascending = _order.Select(i => percentileLevels[i]).ToArray();
        Percentiles = percentileLevels.Select(_ => new double[capacity]).ToArray();
        Mean = new double[capacity];
        StandardDeviation = new double[capacity];
        SaturatedFraction = new double[capacity];
    }

    /// <summary>The percentile levels recorded, e.g. 15, 50, 85.</summary>
    public IReadOnlyList<double> PercentileLevels { get; }

    /// <summary>Percentiles[i][k] = the <c>PercentileLevels[i]</c>-th percentile at probe k.</summary>
    public double[][] Percentiles { get; private set; }

    /// <summary>Mean at each probe.</summary>
    public double[] Mean { get; private set; }

    /// <summary>Population standard deviation at each probe.</summary>
    public double[] StandardDeviation { get; private set; }

    /// <summary>Fraction of saturated values at each probe (see <see cref="DistributionStatistics.SaturatedFraction"/>).</summary>
    public double[] SaturatedFraction { get; private set; }

    /// <summary>The series of the <paramref name="level"/>-th percentile (must be one of <see cref="PercentileLevels"/>).</summary>
    public double[] Percentile(double level)
    {
        for (var i = 0; i < PercentileLevels.Count; i++)
            if (PercentileLevels[i] == level) return Percentiles[i];
        throw new ArgumentOutOfRangeException(nameof(level), level, $"Percentile {level} was not recorded; recorded: {string.Join(", ", PercentileLevels)}.");
    }

    /// <summary>Stores the statistics of <paramref name="values"/> (reordered in place) as probe <paramref name="k"/>.</summary>
    internal void Record(int k, Span<float> values, Activation activation)
    {
        Span<double> results = stackalloc double[_ascending.Length];
        DistributionStatistics.Percentiles(values, _ascending, results);
        for (var i = 0; i < _ascending.Length; i++) Percentiles[_order[i]][k] = results[i];
        (Mean[k], StandardDeviation[k]) = DistributionStatistics.MeanAndStandardDeviation(values);
        SaturatedFraction[k] = DistributionStatistics.SaturatedFraction(values, activation);
    }

    internal void Truncate(int count)
    {
        Percentiles = Percentiles.Select(p => p[..count]).ToArray();
        Mean = Mean[..count];
        StandardDeviation = StandardDeviation[..count];
        SaturatedFraction = SaturatedFraction[..count];
    }
}
