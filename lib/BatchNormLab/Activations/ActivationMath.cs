using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Activations;

/// <summary>Nonlinearities and their derivatives as pure element-wise functions.</summary>
public static class ActivationMath
{
    /// <summary>
    /// Threshold on the output scaled to [−1, 1] above which a unit counts as saturated: |tanh| &gt; 0.97
    /// (Karpathy's makemore diagnostic); for sigmoid the same on 2σ − 1, i.e. σ &lt; 0.015 or σ &gt; 0.985.
    /// ReLU saturates on its flat side: output exactly 0.
    /// </summary>
    public const double SaturationThreshold = 0.97;

    /// <summary>y = f(x) element-wise.</summary>
    public static void Forward<T>(Activation f, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (f)
        {
            case Activation.Sigmoid:
                VectorMath.Sigmoid(x, y);
                break;
            case Activation.Tanh:
                for (var i = 0; i < x.Length; i++) y[i] = T.Tanh(x[i]);
                break;
            case Activation.ReLU:
                VectorMath.Relu(x, y);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown activation.");
        }
    }

    /// <summary>∂ℓ/∂x = ∂ℓ/∂y · f'(x), with f' written through the output y where that is cheaper.</summary>
    public static void Backward<T>(Activation f, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (f)
        {
            case Activation.Sigmoid:
                VectorMath.SigmoidBackward(y, dy, dx);
                break;
            case Activation.Tanh:
                for (var i = 0; i < y.Length; i++) dx[i] = dy[i] * (T.One - y[i] * y[i]);
                break;
            case Activation.ReLU:
                VectorMath.ReluBackward(x, dy, dx);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown activation.");
        }
    }

    /// <summary>Whether a unit with input <paramref name="x"/> is saturated (see <see cref="SaturationThreshold"/>).</summary>
    public static bool IsSaturated(Activation f, double x) => f switch
    {
        Activation.Sigmoid => Math.Abs(2.0 / (1.0 + Math.Exp(-x)) - 1.0) > SaturationThreshold,
        Activation.Tanh => Math.Abs(Math.Tanh(x)) > SaturationThreshold,
        Activation.ReLU => x <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown activation."),
    };

    /// <summary>
    /// The input magnitude beyond which <see cref="IsSaturated"/> holds for sigmoid and tanh
    /// (|x| &gt; 2 atanh(0.97) ≈ 4.19 for sigmoid, atanh(0.97) ≈ 2.09 for tanh), for fast counting.
    /// </summary>
    public static double SaturationInput(Activation f) => f switch
    {
        Activation.Sigmoid => 2 * Math.Atanh(SaturationThreshold),
        Activation.Tanh => Math.Atanh(SaturationThreshold),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "ReLU saturates at x <= 0, not beyond a magnitude."),
    };
}
