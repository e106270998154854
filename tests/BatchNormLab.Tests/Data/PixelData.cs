using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Data;

/// <summary>Random byte images and the two data sets holding them: with the byte form, and floats only.</summary>
internal static class PixelData
{
    /// <summary>N x D random bytes (all 256 values occur once N·D is large) and labels in 0..classes−1.</summary>
    public static (byte[] Pixels, int[] Labels) Random(int rows, int features, int classes, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[rows * features];
        rng.NextBytes(pixels);
        return (pixels, TestData.Labels(rows, classes, rng));
    }

    /// <summary>The floats b / 255, computed one scalar division at a time: the reference.</summary>
    public static Matrix<float> Scaled(byte[] pixels, int features)
    {
        var m = new Matrix<float>(pixels.Length / features, features);
        for (var i = 0; i < pixels.Length; i++) m.Data[i] = pixels[i] / 255f;
        return m;
    }

    /// <summary>A data set with the byte form (as Fashion-MNIST's loader builds one).</summary>
    public static Dataset WithPixels(byte[] pixels, int features, int[] labels, int classes) =>
        new("with pixels", Scaled(pixels, features), pixels, labels, ClassNames(classes));

    /// <summary>The same values through the public constructor: floats only.</summary>
    public static Dataset FloatsOnly(byte[] pixels, int features, int[] labels, int classes) =>
        new("floats only", Scaled(pixels, features), labels, ClassNames(classes));

    private static string[] ClassNames(int classes) => Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray();
}
