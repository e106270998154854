using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Models;

/// <summary>How a dense layer's weights are drawn (all Gaussian, from an injected <see cref="Random"/>).</summary>
public enum WeightInitScheme
{
    /// <summary>N(0, s²) with a fixed small s (the paper's "small random Gaussian values"); s is the scale argument.</summary>
    SmallGaussian,

    /// <summary>Glorot/Xavier normal: s = gain · √(2/(fan_in + fan_out)); the scale argument is the gain.</summary>
    Xavier,

    /// <summary>He/Kaiming normal: s = gain · √(2/fan_in); the scale argument is the gain.</summary>
    He,
}

/// <summary>Draws initial weights. Every draw comes from the <see cref="Random"/> passed in: same seed, same weights.</summary>
public static class WeightInit
{
    /// <summary>Default s for <see cref="WeightInitScheme.SmallGaussian"/>.</summary>
    public const double DefaultSmallStd = 0.05;

    /// <summary>The standard deviation <paramref name="scheme"/> gives a fan_in x fan_out layer.</summary>
    public static double StandardDeviation(WeightInitScheme scheme, int fanIn, int fanOut, double scale) => scheme switch
    {
        WeightInitScheme.SmallGaussian => scale,
        WeightInitScheme.Xavier => scale * Math.Sqrt(2.0 / (fanIn + fanOut)),
        WeightInitScheme.He => scale * Math.Sqrt(2.0 / fanIn),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown scheme."),
    };

    /// <summary>A fan_in x fan_out weight matrix drawn with <paramref name="scheme"/>.</summary>
    public static Matrix<T> Create<T>(WeightInitScheme scheme, int fanIn, int fanOut, double scale, Random rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        var std = StandardDeviation(scheme, fanIn, fanOut, scale);
        var w = new Matrix<T>(fanIn, fanOut);
        for (var i = 0; i < w.Data.Length; i++) w.Data[i] = T.CreateChecked(std * Gaussian(rng));
        return w;
    }

    /// <summary>One N(0, 1) draw (Box–Muller; uses two uniforms, keeps no state between calls).</summary>
    public static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
