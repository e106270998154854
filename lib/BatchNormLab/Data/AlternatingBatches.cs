namespace BatchNormLab.Data;

/// <summary>
/// Batches taken in turn from several sources: step t draws from source t mod k. A GAN discriminator
/// trained on all-real then all-fake batches, or two data domains sharing one network, train this way.
/// </summary>
public sealed class AlternatingBatches : IBatchSource
{
    private readonly IBatchSource[] _sources;
    private long _step;

    /// <summary>Alternates between <paramref name="sources"/> (same batch size and features), first source first.</summary>
    public AlternatingBatches(params IBatchSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length < 2) throw new ArgumentException("Alternating needs at least two batch sources.", nameof(sources));
        if (sources.Any(s => s.BatchSize != sources[0].BatchSize || s.Features != sources[0].Features))
            throw new ArgumentException($"Every source must give the same batch shape; got {string.Join(", ", sources.Select(s => $"{s.BatchSize} x {s.Features}"))}.", nameof(sources));
        _sources = sources;
    }

    /// <inheritdoc/>
    public int BatchSize => _sources[0].BatchSize;

    /// <inheritdoc/>
    public int Features => _sources[0].Features;

    /// <summary>Which source the next batch comes from.</summary>
    public int NextSource => (int)(_step % _sources.Length);

    /// <inheritdoc/>
    public Batch Next()
    {
        var batch = _sources[NextSource].Next();
        _step++;
        return batch;
    }
}
