namespace BatchNormLab.Bench;

/// <summary>The peer's minibatch order: a seeded shuffle of the training indices, reshuffled every epoch.</summary>
internal sealed class BatchIndices(int count, int seed)
{
    private readonly Random _rng = new(seed);
    private readonly int[] _order = Enumerable.Range(0, count).ToArray();
    private int _cursor = count;

    /// <summary>The indices of the next batch (a view valid until the next call).</summary>
    public ReadOnlySpan<int> Next(int batch)
    {
        if (_cursor + batch > _order.Length)
        {
            _rng.Shuffle(_order);
            _cursor = 0;
        }
        var span = _order.AsSpan(_cursor, batch);
        _cursor += batch;
        return span;
    }
}
