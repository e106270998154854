namespace BatchNormLab.Data;

/// <summary>
/// Cuts a <see cref="Dataset"/> into minibatches of a fixed size, epoch after epoch, in a chosen
/// <see cref="BatchOrder"/>. An epoch is ⌊N/B⌋ batches: the last N mod B examples of each epoch's
/// order are skipped (with shuffling, different ones every epoch), so every batch has exactly B rows
/// and batch norm always sees the same batch size.
/// </summary>
/// <remarks>
/// <see cref="Next"/> copies rows into one reused <see cref="Batch"/>: it allocates nothing. Where the
/// data set keeps its pixel bytes (Fashion-MNIST), rows are read as bytes and scaled by 1/255 on the
/// way (bit-identical to the float rows): random rows come from main memory, and bytes are a quarter
/// of the traffic. The rows a few places ahead are requested early (a prefetch hint on x86), so their
/// round trips to memory overlap instead of following one another.
/// The shuffled order is a Fisher–Yates permutation drawn from <c>new Random(seed)</c>, redrawn at
/// the start of every epoch: same seed, same sequence of batches.
/// </remarks>
public sealed class MinibatchIterator : IBatchSource
{
    private readonly Dataset _data;
    private readonly int[] _order;
    private readonly Random _rng;
    private readonly Batch _batch;
    private int _position;
    private long _step;

    /// <summary>Creates the iterator.</summary>
    /// <param name="data">The examples.</param>
    /// <param name="batchSize">B, between 1 and N.</param>
    /// <param name="order">Visiting order; <see cref="BatchOrder.Shuffled"/> by default.</param>
    /// <param name="seed">Seed of the shuffles (ignored by the fixed orders).</param>
    public MinibatchIterator(Dataset data, int batchSize, BatchOrder order = BatchOrder.Shuffled, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0 || batchSize > data.Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be 1..{data.Count} for '{data.Name}'.");
        if (!Enum.IsDefined(order)) throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown batch order.");
        _data = data;
        BatchSize = batchSize;
        Order = order;
        Seed = seed;
        _rng = new Random(seed);
        _order = new int[data.Count];
        for (var i = 0; i < _order.Length; i++) _order[i] = i;
        if (order == BatchOrder.SortedByClass)
        {
            var labels = data.Labels;
            // Stable: ties keep file order.
            _order = _order.OrderBy(i => labels[i]).ToArray();
        }
        _batch = new Batch(batchSize, data.Features);
        Epoch = -1;
        _position = _order.Length;
    }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public int Features => _data.Features;

    /// <summary>The visiting order.</summary>
    public BatchOrder Order { get; }

    /// <summary>Seed of the shuffles.</summary>
    public int Seed { get; }

    /// <summary>The data set iterated over.</summary>
    public Dataset Data => _data;

    /// <summary>Batches per epoch, ⌊N/B⌋.</summary>
    public int BatchesPerEpoch => _data.Count / BatchSize;

    /// <summary>0-based epoch of the last batch returned (−1 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>Number of batches returned so far.</summary>
    public long BatchesDrawn => _step;

    /// <inheritdoc/>
    public Batch Next()
    {
        if (_position + BatchSize > _order.Length) StartEpoch();
        var images = _data.Images;
        var labels = _data.Labels;
        var cols = images.Cols;
        var src = images.Data;
        var pixels = _data.Pixels;
        var dst = _batch.Images.Data;
        var ahead = Math.Min(RowPrefetch.Distance, BatchSize);
        for (var r = 0; r < ahead; r++) Prefetch(_order[_position + r]);
        for (var r = 0; r < BatchSize; r++)
        {
            if (r + ahead < BatchSize) Prefetch(_order[_position + r + ahead]);
            var k = _order[_position + r];
            if (pixels is not null) UnitInterval.FromBytes(pixels.AsSpan(k * cols, cols), dst.AsSpan(r * cols, cols));
            else Array.Copy(src, k * cols, dst, r * cols, cols);
            _batch.Labels[r] = labels[k];
            _batch.Indices[r] = k;
        }
        _position += BatchSize;
        _batch.Epoch = Epoch;
        _batch.Step = _step++;
        return _batch;

        void Prefetch(int k)
        {
            if (pixels is not null) RowPrefetch.Row(pixels, k, cols);
            else RowPrefetch.Row(src, k, cols);
        }
    }

    private void StartEpoch()
    {
        Epoch++;
        _position = 0;
        if (Order != BatchOrder.Shuffled) return;
        for (var i = _order.Length - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }
}
