using BatchNormLab.Data;

namespace BatchNormLab.Experiments;

/// <summary>
/// What <see cref="Figure1Recorder"/> measures during a Figure 1 run, and when: test evaluations, and a
/// fixed probe set of held-out images passed through the network as it is at that step (every hidden
/// layer's sigmoid input, per unit and pooled), with histograms at a few steps. Steps count updates done.
/// </summary>
/// <remarks>
/// The probe set replaces the training batch as what the percentiles are taken over: the same images at
/// every probe, so a curve moves only because the weights moved (not because the batch changed), and with
/// BN in inference mode nothing about the distribution is fixed by construction.
/// </remarks>
public sealed record Figure1RecordingOptions
{
    /// <summary>The images the percentiles are measured on (null = no probes), e.g. the first 1,000 test images.</summary>
    public Dataset? ProbeSet { get; init; }

    /// <summary>Steps at which the probe set is passed through the network (each in 0..steps).</summary>
    public int[] ProbeSteps { get; init; } = [];

    /// <summary>Steps at which the test set is evaluated (inference mode: BN uses its moving averages), each in 0..steps.</summary>
    public int[] EvaluationSteps { get; init; } = [];

    /// <summary>Probe steps at which every hidden layer's histogram of the probe set's sigmoid inputs is kept.</summary>
    public int[] HistogramSteps { get; init; } = [];

    /// <summary>Bins of each histogram; the range is the values' own minimum..maximum, so no value falls outside.</summary>
    public int HistogramBins { get; init; } = 80;

    /// <summary>Percentile levels recorded per unit and pooled.</summary>
    public static readonly double[] Levels = [15, 50, 85];

    /// <summary>
    /// A schedule that reads well on both a linear and a logarithmic step axis: 0, about
    /// <paramref name="perDecade"/> log-spaced steps per decade from 1 up, and every
    /// <paramref name="steps"/>/<paramref name="linear"/> steps; always <paramref name="steps"/> itself.
    /// </summary>
    public static int[] LogAndLinear(int steps, int perDecade, int linear)
    {
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The schedule needs a positive number of steps.");
        if (perDecade < 0 || linear < 0) throw new ArgumentOutOfRangeException(nameof(perDecade), "perDecade and linear must be 0 (none) or positive.");
        var s = new SortedSet<int> { 0, steps };
        if (perDecade > 0)
            for (var i = 0; ; i++)
            {
                var t = (int)Math.Round(Math.Pow(10, (double)i / perDecade));
                if (t > steps) break;
                s.Add(t);
            }
        if (linear > 0)
            for (var k = 1; k <= linear; k++) s.Add((int)((long)steps * k / linear));
        return [.. s];
    }

    /// <summary>Throws a clear error for settings that cannot work in a run of <paramref name="steps"/> updates.</summary>
    public void Validate(int steps)
    {
        foreach (var t in ProbeSteps.Concat(EvaluationSteps).Concat(HistogramSteps))
            if (t < 0 || t > steps) throw new ArgumentOutOfRangeException(nameof(ProbeSteps), t, $"Recording step {t} is outside 0..{steps}.");
        if (ProbeSteps.Length > 0 && ProbeSet is null) throw new ArgumentException("Probe steps are set but no ProbeSet: give the images to probe.", nameof(ProbeSet));
        if (ProbeSet is { Count: < 2 }) throw new ArgumentException("The probe set needs at least 2 images (BN in training mode normalises over it).", nameof(ProbeSet));
        foreach (var h in HistogramSteps)
            if (Array.IndexOf(ProbeSteps, h) < 0) throw new ArgumentException($"Histogram step {h} is not a probe step; add it to ProbeSteps.", nameof(HistogramSteps));
        if (HistogramBins <= 0) throw new ArgumentOutOfRangeException(nameof(HistogramBins), HistogramBins, "HistogramBins must be positive.");
    }
}
