using BatchNormLab.Data;

namespace BatchNormLab.Experiments;

/// <summary>
/// Minibatches built from only a few classes: each batch draws <see cref="ClassesPerBatch"/> distinct classes
/// at random and takes an equal share of its examples from each. Over many steps every class is seen
/// equally often, so the data order is random, but no single batch represents the distribution: the
/// non-i.i.d. minibatches of the batch renorm paper (one class per batch is the extreme case).
/// </summary>
public sealed class FewClassBatchSource : IBatchSource
{
    private readonly Dataset _data;
    private readonly int[][] _byClass;
    private readonly int[] _position;
    private readonly int[] _classes;
    private readonly Random _rng;
    private readonly Batch _batch;
    private long _step;

    /// <summary>Creates the source; every random choice comes from <paramref name="seed"/>.</summary>
    /// <param name="data">The examples.</param>
    /// <param name="batchSize">B; must be a multiple of <paramref name="classesPerBatch"/>.</param>
    /// <param name="classesPerBatch">How many classes share a batch (1 = single-class batches).</param>
    /// <param name="seed">Seed of the class draws and the order within each class.</param>
    public FewClassBatchSource(Dataset data, int batchSize, int classesPerBatch, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _byClass = Enumerable.Range(0, data.ClassCount)
            .Select(c => Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).ToArray())
            .Where(rows => rows.Length > 0).ToArray();
        if (classesPerBatch < 1 || classesPerBatch > _byClass.Length)
            throw new ArgumentOutOfRangeException(nameof(classesPerBatch), classesPerBatch, $"Classes per batch must be 1..{_byClass.Length} (the classes present in '{data.Name}').");
        if (batchSize <= 0 || batchSize % classesPerBatch != 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be a positive multiple of the {classesPerBatch} classes per batch.");
        var share = batchSize / classesPerBatch;
        var smallest = _byClass.Min(rows => rows.Length);
        if (share > smallest)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Each class would give {share} examples per batch but the smallest class of '{data.Name}' has {smallest}.");
        BatchSize = batchSize;
        ClassesPerBatch = classesPerBatch;
        _rng = new Random(seed);
        _position = new int[_byClass.Length];
        _classes = Enumerable.Range(0, _byClass.Length).ToArray();
        foreach (var rows in _byClass) Shuffle(rows);
        _batch = new Batch(batchSize, data.Features);
    }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <summary>Distinct classes in every batch.</summary>
    public int ClassesPerBatch { get; }

    /// <inheritdoc/>
    public int Features => _data.Features;

    /// <inheritdoc/>
    public Batch Next()
    {
        // A partial Fisher–Yates shuffle picks ClassesPerBatch distinct classes.
        for (var i = 0; i < ClassesPerBatch; i++)
        {
            var j = i + _rng.Next(_classes.Length - i);
            (_classes[i], _classes[j]) = (_classes[j], _classes[i]);
        }
        var share = BatchSize / ClassesPerBatch;
        var r = 0;
        for (var i = 0; i < ClassesPerBatch; i++)
        {
            var c = _classes[i];
            var rows = _byClass[c];
            if (_position[c] + share > rows.Length)
            {
                Shuffle(rows);
                _position[c] = 0;
            }
            for (var s = 0; s < share; s++, r++)
            {
                var k = rows[_position[c] + s];
                _data.Images.Row(k).CopyTo(_batch.Images.Row(r));
                _batch.Labels[r] = _data.Labels[k];
                _batch.Indices[r] = k;
            }
            _position[c] += share;
        }
        _batch.Step = _step++;
        return _batch;
    }

    /// <summary>
    /// A fixed list of batches of the same kind over <paramref name="data"/> (e.g. the test set), each as row
    /// indices, covering about <paramref name="count"/> examples: for evaluating in training mode on batches
    /// built the way training batches were.
    /// </summary>
    public static List<int[]> Batches(Dataset data, int count, int batchSize, int classesPerBatch, int seed)
    {
        var source = new FewClassBatchSource(data, batchSize, classesPerBatch, seed);
        var batches = new List<int[]>();
        for (var n = 0; n + batchSize <= count; n += batchSize) batches.Add((int[])source.Next().Indices.Clone());
        return batches;
    }

    private void Shuffle(int[] rows)
    {
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}
