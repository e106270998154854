using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Data;

/// <summary>Small seeded data sets for fast tests and quick notebook demonstrations.</summary>
public static class SyntheticData
{
    /// <summary>
    /// Gaussian blobs: k class centres drawn from N(0, <paramref name="separation"/>² I) in d dimensions,
    /// each example = its class centre + N(0, <paramref name="spread"/>² I). Examples are interleaved
    /// (example i has class i mod k), so any prefix holds every class about equally.
    /// </summary>
    /// <param name="classes">k ≥ 2.</param>
    /// <param name="dimensions">d ≥ 1.</param>
    /// <param name="perClass">Examples per class.</param>
    /// <param name="seed">Seed of every draw: same seed, same data set.</param>
    /// <param name="separation">Standard deviation of the class centres.</param>
    /// <param name="spread">Standard deviation of the examples around their centre.</param>
    public static Dataset GaussianBlobs(int classes, int dimensions, int perClass, int seed, double separation = 3.0, double spread = 1.0)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Blobs need at least 2 classes.");
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Blobs need at least 1 dimension.");
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "Blobs need at least 1 example per class.");
        if (!(separation >= 0) || !(spread >= 0)) throw new ArgumentOutOfRangeException(nameof(spread), "Separation and spread must be non-negative.");
        var rng = new Random(seed);
        var centres = new double[classes, dimensions];
        for (var c = 0; c < classes; c++)
            for (var j = 0; j < dimensions; j++)
                centres[c, j] = separation * WeightInit.Gaussian(rng);
        var n = classes * perClass;
        var x = new Matrix<float>(n, dimensions);
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            var c = i % classes;
            y[i] = c;
            var row = x.Row(i);
            for (var j = 0; j < dimensions; j++) row[j] = (float)(centres[c, j] + spread * WeightInit.Gaussian(rng));
        }
        var names = Enumerable.Range(0, classes).Select(c => $"blob {c}").ToArray();
        return new Dataset($"blobs k={classes} d={dimensions} seed={seed}", x, y, names);
    }
}
