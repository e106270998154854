namespace BatchNormLab.Training;

/// <summary>
/// A histogram of one hidden layer's nonlinearity inputs (all units, current training batch) at one step.
/// </summary>
/// <param name="Step">Updates done before the snapshot (see <see cref="TrainingHistory.ProbeSteps"/>).</param>
/// <param name="Layer">0-based hidden layer.</param>
/// <param name="Min">Lower edge of the first bin.</param>
/// <param name="Max">Upper edge of the last bin.</param>
/// <param name="Counts">Values per bin (equal widths).</param>
/// <param name="Below">Values below <paramref name="Min"/>.</param>
/// <param name="Above">Values at or above <paramref name="Max"/>.</param>
public sealed record HistogramSnapshot(int Step, int Layer, double Min, double Max, int[] Counts, int Below, int Above)
{
    /// <summary>Width of one bin.</summary>
    public double BinWidth => (Max - Min) / Counts.Length;

    /// <summary>The centre of each bin, for plotting.</summary>
    public double[] BinCenters() => Enumerable.Range(0, Counts.Length).Select(i => Min + (i + 0.5) * BinWidth).ToArray();

    /// <summary>All values counted, including those outside the range.</summary>
    public int Total => Counts.Sum() + Below + Above;
}
