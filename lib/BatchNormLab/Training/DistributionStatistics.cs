using BatchNormLab.Activations;

namespace BatchNormLab.Training;

/// <summary>
/// Summary statistics of a set of values (a layer's nonlinearity inputs): percentiles, mean,
/// standard deviation, saturated fraction, histogram. Pure functions; the probes call them.
/// </summary>
public static class DistributionStatistics
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile of <paramref name="sorted"/> (ascending), by linear
    /// interpolation between closest ranks: h = (n − 1)·p/100, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])
    /// (NumPy's default, Hyndman–Fan type 7).
    /// </summary>
    public static double Percentile(ReadOnlySpan<float> sorted, double percent)
    {
        if (sorted.Length == 0) throw new ArgumentException("Percentile of no values.", nameof(sorted));
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile is in [0, 100].");
        var h = (sorted.Length - 1) * percent / 100.0;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        double a = sorted[lo], b = sorted[lo + 1];
        return a + (h - lo) * (b - a);
    }

    /// <summary>Mean and population standard deviation √((1/n) Σ (x − mean)²), accumulated in double.</summary>
    public static (double Mean, double StandardDeviation) MeanAndStandardDeviation(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) throw new ArgumentException("Mean of no values.", nameof(values));
        double sum = 0;
        foreach (var v in values) sum += v;
        var mean = sum / values.Length;
        double sq = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            sq += d * d;
        }
        return (mean, Math.Sqrt(sq / values.Length));
    }

    /// <summary>
    /// Fraction of <paramref name="inputs"/> at which <paramref name="activation"/> is saturated
    /// (<see cref="ActivationMath.IsSaturated"/>: |x| beyond <see cref="ActivationMath.SaturationInput"/>
    /// for sigmoid and tanh, x ≤ 0 for ReLU).
    /// </summary>
    public static double SaturatedFraction(ReadOnlySpan<float> inputs, Activation activation)
    {
        if (inputs.Length == 0) throw new ArgumentException("Saturation of no values.", nameof(inputs));
        var count = 0;
        if (activation == Activation.ReLU)
        {
            foreach (var x in inputs) if (x <= 0) count++;
        }
        else
        {
            var limit = (float)ActivationMath.SaturationInput(activation);
            foreach (var x in inputs) if (Math.Abs(x) > limit) count++;
        }
        return (double)count / inputs.Length;
    }

    /// <summary>
    /// Counts <paramref name="values"/> into <paramref name="counts"/>.Length equal bins over
    /// [<paramref name="min"/>, <paramref name="max"/>); returns how many fell below and at or above the range.
    /// </summary>
    public static (int Below, int Above) Histogram(ReadOnlySpan<float> values, double min, double max, Span<int> counts)
    {
        if (!(max > min)) throw new ArgumentOutOfRangeException(nameof(max), max, $"Histogram range needs max > min (min = {min}).");
        if (counts.Length == 0) throw new ArgumentException("A histogram needs at least one bin.", nameof(counts));
        counts.Clear();
        int below = 0, above = 0;
        var scale = counts.Length / (max - min);
        foreach (var v in values)
        {
            if (v < min) below++;
            else if (v >= max || double.IsNaN(v)) above++;
            else counts[Math.Min((int)((v - min) * scale), counts.Length - 1)]++;
        }
        return (below, above);
    }
}
