using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>
/// Batches of fakes, label <see cref="Gan.Fake"/>: each call draws fresh noise z ~ N(0, I) and runs the
/// generator forward. A batch source like any other, so the library's trainer can train a discriminator on it.
/// </summary>
public sealed class GeneratedBatches : IBatchSource
{
    private readonly Sequential<float> _generator;
    private readonly Matrix<float> _z;
    private readonly Batch _batch;
    private readonly Random _rng;

    /// <summary>Fakes from <paramref name="generator"/>, <paramref name="batchSize"/> at a time; noise from <paramref name="seed"/>.</summary>
    public GeneratedBatches(Sequential<float> generator, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _z = new Matrix<float>(batchSize, generator.InputSize);
        _batch = new Batch(batchSize, generator.OutputSize);
        Array.Fill(_batch.Labels, Gan.Fake);
        Array.Fill(_batch.Indices, -1);
        _rng = new Random(seed);
    }

    /// <inheritdoc/>
    public int BatchSize => _batch.Size;

    /// <inheritdoc/>
    public int Features => _batch.Images.Cols;

    /// <summary>Fills <paramref name="z"/> with standard Gaussian noise from <paramref name="rng"/>.</summary>
    public static void Noise(Matrix<float> z, Random rng)
    {
        for (var k = 0; k < z.Data.Length; k++) z.Data[k] = (float)WeightInit.Gaussian(rng);
    }

    /// <inheritdoc/>
    public Batch Next()
    {
        Noise(_z, _rng);
        _generator.Forward(_z).Data.CopyTo(_batch.Images.Data, 0);
        _batch.Step++;
        return _batch;
    }
}
