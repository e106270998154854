namespace BatchNormLab.Experiments;

/// <summary>Where a long experiment is, for a notebook's live progress display.</summary>
/// <param name="Stage">What is running, e.g. "sorted, BatchNorm".</param>
/// <param name="Done">Units of work finished (training steps over all runs).</param>
/// <param name="Total">Units of work in the whole experiment.</param>
public sealed record ExperimentProgress(string Stage, long Done, long Total)
{
    /// <summary>Done / Total in [0, 1].</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{Stage}: {Fraction:P0}";
}
