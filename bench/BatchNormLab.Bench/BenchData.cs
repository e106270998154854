namespace BatchNormLab.Bench;

/// <summary>The training and test sets both contenders train on: flat float images in [0, 1] and labels.</summary>
internal sealed record BenchData(string Source, float[] TrainX, int[] TrainY, float[] TestX, int[] TestY, int Features, int Classes)
{
    public int TrainCount => TrainY.Length;
    public int TestCount => TestY.Length;

    /// <summary>Random images and labels of Fashion-MNIST's shapes (speed does not depend on the values).</summary>
    public static BenchData Random(int seed)
    {
        var rng = new Random(seed);
        float[] Images(int n)
        {
            var x = new float[n * 784];
            for (var i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
            return x;
        }
        int[] Labels(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(10)).ToArray();
        return new BenchData("random stand-in of Fashion-MNIST's shape (60,000 + 10,000 x 784)", Images(60000), Labels(60000), Images(10000), Labels(10000), 784, 10);
    }
}

/// <summary>A seeded, reshuffled-every-epoch order of the training examples, shared by both contenders.</summary>
internal sealed class BatchOrder(int count, int seed)
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
