namespace BatchNormLab.Experiments;

/// <summary>
/// Point-wise spread of several curves over the same x (e.g. test accuracy of several seeds at each
/// evaluated step): mean, population standard deviation, minimum and maximum at each index.
/// </summary>
/// <param name="Mean">Mean at each index.</param>
/// <param name="StandardDeviation">Population standard deviation at each index.</param>
/// <param name="Min">Smallest value at each index.</param>
/// <param name="Max">Largest value at each index.</param>
public sealed record SeriesSpread(double[] Mean, double[] StandardDeviation, double[] Min, double[] Max)
{
    /// <summary>The spread of <paramref name="curves"/>, over the common length (shorter curves, e.g. a diverged run, cut all).</summary>
    public static SeriesSpread Of(IReadOnlyList<double[]> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("A spread needs at least one curve.", nameof(curves));
        var n = curves.Min(c => c.Length);
        var mean = new double[n];
        var std = new double[n];
        var min = new double[n];
        var max = new double[n];
        for (var k = 0; k < n; k++)
        {
            double s = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (var c in curves)
            {
                s += c[k];
                lo = Math.Min(lo, c[k]);
                hi = Math.Max(hi, c[k]);
            }
            var m = s / curves.Count;
            double sq = 0;
            foreach (var c in curves) sq += (c[k] - m) * (c[k] - m);
            (mean[k], std[k], min[k], max[k]) = (m, Math.Sqrt(sq / curves.Count), lo, hi);
        }
        return new SeriesSpread(mean, std, min, max);
    }
}
