using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// How much one hidden layer's sigmoid-input distribution (pooled over its units, on the training
/// batch) moved during training, from the probes' 15th/50th/85th percentile curves p_k (k = probe).
/// </summary>
/// <remarks>
/// Definitions, over the probes at or after the chosen start step (k = 0..K):
/// total variation of a curve TV(p) = Σ_k |p_{k+1} − p_k| (every wiggle counts: the next layer sees
/// each batch's distribution); <see cref="BandTotalVariation"/> = TV(p15) + TV(p50) + TV(p85);
/// <see cref="MedianDrift"/> = max_k |p50_k − p50_0| (how far the median wandered from where it
/// started); <see cref="WidthChange"/> = (p85 − p15)_K − (p85 − p15)_0. Units: the sigmoid's input,
/// the paper's y axis, so the numbers say how far along the sigmoid the inputs moved.
/// </remarks>
/// <param name="Layer">0-based hidden layer.</param>
/// <param name="FromStep">The first probed step included.</param>
/// <param name="Probes">Number of probes included.</param>
/// <param name="PercentileTotalVariation">TV of each recorded percentile curve (same order as the levels).</param>
/// <param name="BandTotalVariation">TV summed over the 15th, 50th and 85th percentile curves.</param>
/// <param name="MedianStart">p50 at the first included probe.</param>
/// <param name="MedianEnd">p50 at the last probe.</param>
/// <param name="MedianDrift">max |p50_k − p50_0|.</param>
/// <param name="WidthStart">p85 − p15 at the first included probe.</param>
/// <param name="WidthEnd">p85 − p15 at the last probe.</param>
public sealed record BandMovement(
    int Layer, int FromStep, int Probes, double[] PercentileTotalVariation, double BandTotalVariation,
    double MedianStart, double MedianEnd, double MedianDrift, double WidthStart, double WidthEnd)
{
    /// <summary>(p85 − p15) at the end minus at the start.</summary>
    public double WidthChange => WidthEnd - WidthStart;

    /// <summary>The movement of hidden layer <paramref name="layer"/>'s pooled distribution in <paramref name="history"/>, from <paramref name="fromStep"/>.</summary>
    public static BandMovement Of(TrainingHistory history, int layer, int fromStep = 0)
    {
        ArgumentNullException.ThrowIfNull(history);
        if ((uint)layer >= (uint)history.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The history probed {history.Layers.Count} hidden layers.");
        return Of(history.Layers[layer].Pooled, history.ProbeSteps, layer, fromStep);
    }

    /// <summary>The movement of one <see cref="DistributionSeries"/> (pooled or a tracked unit) probed at <paramref name="probeSteps"/>.</summary>
    public static BandMovement Of(DistributionSeries series, IReadOnlyList<int> probeSteps, int layer, int fromStep = 0)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(probeSteps);
        var first = 0;
        while (first < probeSteps.Count && probeSteps[first] < fromStep) first++;
        var count = probeSteps.Count - first;
        if (count < 2)
            throw new ArgumentException($"Band movement needs at least 2 probes at or after step {fromStep}; there are {count}.", nameof(fromStep));
        var p15 = series.Percentile(15).AsSpan(first, count);
        var p50 = series.Percentile(50).AsSpan(first, count);
        var p85 = series.Percentile(85).AsSpan(first, count);
        var tv = series.Percentiles.Select(p => TotalVariation(p.AsSpan(first, count))).ToArray();
        var drift = 0.0;
        foreach (var m in p50) drift = Math.Max(drift, Math.Abs(m - p50[0]));
        return new BandMovement(layer, probeSteps[first], count, tv,
            TotalVariation(p15) + TotalVariation(p50) + TotalVariation(p85),
            p50[0], p50[^1], drift, p85[0] - p15[0], p85[^1] - p15[^1]);
    }

    /// <summary>Σ_k |x_{k+1} − x_k|.</summary>
    public static double TotalVariation(ReadOnlySpan<double> x)
    {
        var s = 0.0;
        for (var k = 1; k < x.Length; k++) s += Math.Abs(x[k] - x[k - 1]);
        return s;
    }
}
