namespace BatchNormLab.Training;

/// <summary>
/// What <see cref="LayerProbes"/> records: every hidden layer's nonlinearity input on the training batch
/// at the probed steps (percentiles, saturation, a few tracked units) and histograms at chosen steps.
/// </summary>
public sealed record ProbeOptions
{
    /// <summary>Probe every this many steps: t = 0, k, 2k, … below the run's steps (0 = no periodic probes).</summary>
    public int Every { get; init; }

    /// <summary>Extra steps to probe (each in 0..steps − 1), merged with <see cref="Every"/>'s.</summary>
    public int[] Steps { get; init; } = [];

    /// <summary>Percentile levels recorded.</summary>
    public double[] Percentiles { get; init; } = [15, 50, 85];

    /// <summary>Units tracked individually in every hidden layer (column indices).</summary>
    public int[] TrackedUnits { get; init; } = [0];

    /// <summary>Steps (each in 0..steps − 1) at which every hidden layer's input histogram is captured.</summary>
    public int[] HistogramSteps { get; init; } = [];

    /// <summary>Histogram bins.</summary>
    public int HistogramBins { get; init; } = 60;

    /// <summary>Histogram range lower edge (values below are counted apart, never dropped).</summary>
    public double HistogramMin { get; init; } = -6;

    /// <summary>Histogram range upper edge.</summary>
    public double HistogramMax { get; init; } = 6;

    /// <summary>The steps probed in a run of <paramref name="steps"/> updates, ascending.</summary>
    public int[] Schedule(int steps)
    {
        var s = new SortedSet<int>(Steps);
        if (Every > 0)
            for (var t = 0; t < steps; t += Every) s.Add(t);
        return [.. s];
    }

    /// <summary>Throws a clear error for settings that cannot work in a run of <paramref name="steps"/> updates.</summary>
    public void Validate(int steps)
    {
        if (Every < 0) throw new ArgumentOutOfRangeException(nameof(Every), Every, "Probes.Every must be 0 (off) or positive.");
        foreach (var s in Steps.Concat(HistogramSteps))
            if (s < 0 || s >= steps)
                throw new ArgumentOutOfRangeException(nameof(Steps), s, $"Probe/histogram step {s} is outside 0..{steps - 1}.");
        foreach (var p in Percentiles)
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(Percentiles), p, "Probe percentiles must be in [0, 100].");
        if (HistogramBins <= 0) throw new ArgumentOutOfRangeException(nameof(HistogramBins), HistogramBins, "HistogramBins must be positive.");
        if (!(HistogramMax > HistogramMin)) throw new ArgumentOutOfRangeException(nameof(HistogramMax), HistogramMax, "HistogramMax must exceed HistogramMin.");
    }
}
