using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>
/// A fixed family of fake images standing in for a GAN generator's output: each fake is the pixel-wise
/// average of two random real images, a "ghost" of two garments, the kind of blurry superposition an
/// immature generator produces. Its per-pixel mean equals the real images' mean, so a batch's mean does
/// not give the fakes away; their lower contrast and doubled outlines do.
/// </summary>
public static class FakeImages
{
    /// <summary><paramref name="count"/> blends of two random images of <paramref name="real"/>, drawn from <paramref name="seed"/>; labels are all 0.</summary>
    public static Dataset Blends(Dataset real, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Make at least one fake.");
        var rng = new Random(seed);
        var images = new Matrix<float>(count, real.Features);
        for (var i = 0; i < count; i++)
        {
            var a = real.Images.Row(rng.Next(real.Count));
            var b = real.Images.Row(rng.Next(real.Count));
            var f = images.Row(i);
            for (var j = 0; j < f.Length; j++) f[j] = 0.5f * (a[j] + b[j]);
        }
        return new Dataset($"blends of {real.Name}", images, new int[count], ["fake", "real"]);
    }
}
