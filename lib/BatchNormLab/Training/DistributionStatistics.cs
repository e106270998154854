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

    /// <summary>
    /// Several percentiles of unsorted <paramref name="values"/> at once, each exactly as
    /// <see cref="Percentile"/> would give on the sorted values, by selection instead of a full sort
    /// (O(n) per level rather than O(n log n): this is most of a probe's cost). Reorders
    /// <paramref name="values"/>. <paramref name="percents"/> must be ascending.
    /// </summary>
    public static void Percentiles(Span<float> values, ReadOnlySpan<double> percents, Span<double> results)
    {
        if (values.Length == 0) throw new ArgumentException("Percentile of no values.", nameof(values));
        if (results.Length != percents.Length) throw new ArgumentException($"{results.Length} results for {percents.Length} percentiles.", nameof(results));
        var n = values.Length;
        var selected = 0; // values[..selected] are the smallest, in no order; values[selected] is the next one once selected
        var selectedValid = false;
        for (var i = 0; i < percents.Length; i++)
        {
            var p = percents[i];
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(percents), p, "A percentile is in [0, 100].");
            if (i > 0 && p < percents[i - 1]) throw new ArgumentException("Percentiles must be ascending.", nameof(percents));
            var h = (n - 1) * p / 100.0;
            var lo = Math.Min((int)Math.Floor(h), n - 1);
            if (!selectedValid || lo != selected)
            {
                // Everything before 'selected' is <= values[selected], so the lo-th smallest lies at or after it.
                Select(values[selected..], lo - selected);
                selected = lo;
                selectedValid = true;
            }
            double a = values[lo];
            if (lo == n - 1 || h == lo)
            {
                results[i] = a;
                continue;
            }
            // The next order statistic is the smallest value after position lo.
            var b = values[lo + 1];
            foreach (var v in values[(lo + 2)..]) if (v < b) b = v;
            results[i] = a + (h - lo) * (b - a);
        }
    }

    /// <summary>
    /// Rearranges <paramref name="values"/> so that values[k] is the k-th smallest, with nothing larger
    /// before it and nothing smaller after it (quickselect, median-of-three pivots: deterministic).
    /// </summary>
    public static void Select(Span<float> values, int k)
    {
        if ((uint)k >= (uint)values.Length) throw new ArgumentOutOfRangeException(nameof(k), k, $"Rank {k} is outside 0..{values.Length - 1}.");
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            if (right - left < 16)
            {
                values[left..(right + 1)].Sort();
                return;
            }
            var mid = left + (right - left) / 2;
            // Median of three as the pivot, also leaving sentinels at both ends.
            if (values[mid] < values[left]) (values[mid], values[left]) = (values[left], values[mid]);
            if (values[right] < values[left]) (values[right], values[left]) = (values[left], values[right]);
            if (values[right] < values[mid]) (values[right], values[mid]) = (values[mid], values[right]);
            var pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            // Now values[left..j] <= pivot <= values[i..right], and values[j+1..i-1] == pivot.
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return;
        }
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
