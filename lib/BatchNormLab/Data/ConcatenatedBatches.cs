namespace BatchNormLab.Data;

/// <summary>
/// Each batch is one batch of every source, stacked: e.g. half real and half fake images in every
/// batch of a GAN discriminator, so that no batch's statistics tell which kind it holds.
/// </summary>
public sealed class ConcatenatedBatches : IBatchSource
{
    private readonly IBatchSource[] _sources;
    private readonly Batch _batch;
    private long _step;

    /// <summary>Stacks one batch of each of <paramref name="sources"/> (same features) per call, in order.</summary>
    public ConcatenatedBatches(params IBatchSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length < 2) throw new ArgumentException("Concatenating needs at least two batch sources.", nameof(sources));
        if (sources.Any(s => s.Features != sources[0].Features))
            throw new ArgumentException($"Every source must give the same number of features; got {string.Join(", ", sources.Select(s => s.Features))}.", nameof(sources));
        _sources = sources;
        _batch = new Batch(sources.Sum(s => s.BatchSize), sources[0].Features);
    }

    /// <inheritdoc/>
    public int BatchSize => _batch.Size;

    /// <inheritdoc/>
    public int Features => _batch.Images.Cols;

    /// <inheritdoc/>
    public Batch Next()
    {
        var row = 0;
        foreach (var source in _sources)
        {
            var b = source.Next();
            b.Images.Data.CopyTo(_batch.Images.Data, row * Features);
            b.Labels.CopyTo(_batch.Labels, row);
            b.Indices.CopyTo(_batch.Indices, row);
            row += b.Size;
        }
        _batch.Step = _step++;
        return _batch;
    }
}
