using System.Numerics;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// The fast <see cref="BatchNorm2d{T}"/> (per channel on the NCHW rows) against the reference, dense batch norm on
/// the (N·H·W) x C rearrangement (<see cref="ReshapedBatchNorm2d{T}"/>, notebook 06's view): outputs, input
/// gradients, ∂ℓ/∂γ, ∂ℓ/∂β, batch and running statistics, over several training steps, then inference, in both
/// backward forms, both momentum conventions, float and double.
/// </summary>
/// <remarks>
/// The two sum the same m' = N·H·W values per channel in different orders (SIMD lanes along the H·W runs vs one
/// running sum down a column), so they agree to rounding, not bit for bit. Tolerance: recursive summation of m'
/// terms errs by at most (m' − 1)·u relative to the sum of magnitudes (u = unit roundoff: 2⁻⁵³ double, 2⁻²⁴ float),
/// and each output is a few operations on such sums: 4·(m' + 64)·u of the largest value (1.4e-12 in double, 7.6e-4 in
/// float at m' = 4·28·28; the 64 covers the operations after the sums when m' is small). A wrong index, a missing term or a wrong factor is an error of order 1.
/// </remarks>
public class BatchNorm2dReferenceTests
{
    public static TheoryData<int, int, int, BatchNormBackward, bool> Cases => new()
    {
        // C, H, W: the CNN's first block (8 x 28 x 28: runs a multiple of the vector width) and an odd shape (runs of 15).
        { 8, 28, 28, BatchNormBackward.ClosedForm, true },
        { 3, 3, 5, BatchNormBackward.ClosedForm, false },
        { 3, 3, 5, BatchNormBackward.Graph, true },
        { 16, 14, 14, BatchNormBackward.Graph, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_matches_batch_norm_on_the_rearranged_batch(int c, int h, int w, BatchNormBackward form, bool cumulative) =>
        Compare<double>(new ImageShape(c, h, w), form, cumulative ? null : 0.1);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_matches_batch_norm_on_the_rearranged_batch(int c, int h, int w, BatchNormBackward form, bool cumulative) =>
        Compare<float>(new ImageShape(c, h, w), form, cumulative ? null : 0.1);

    private static void Compare<T>(ImageShape shape, BatchNormBackward form, double? momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(shape.Size + (form == BatchNormBackward.Graph ? 1 : 0));
        var fast = new BatchNorm2d<T>("bn", shape, momentum: momentum) { Mode = Mode.Training };
        fast.PerChannel.BackwardForm = form;
        var reference = new ReshapedBatchNorm2d<T>(shape, momentum);
        reference.PerChannel.BackwardForm = form;
        TestData.RandomAffine(fast.PerChannel, rng);
        fast.PerChannel.Gamma.Value.Data.CopyTo(reference.PerChannel.Gamma.Value.Data, 0);
        fast.PerChannel.Beta.Value.Data.CopyTo(reference.PerChannel.Beta.Value.Data, 0);
        // Channels far from zero mean with small and large spreads: the variance must be taken about the mean.
        var means = Enumerable.Range(0, shape.Channels).Select(k => k % 2 == 0 ? 5.0 * k - 3 : -0.5 * k).ToArray();
        var stds = Enumerable.Range(0, shape.Channels).Select(k => 0.3 + k % 4).ToArray();
        var step = 0;
        foreach (var (n, mode) in new[] { (4, Mode.Training), (1, Mode.Training), (3, Mode.Training), (4, Mode.Inference), (2, Mode.Inference) })
        {
            fast.Mode = reference.PerChannel.Mode = mode;
            var x = ConvTestData.Images<T>(n, shape, rng, means, stds);
            var dy = ConvTestData.Images<T>(n, shape, rng);
            var what = $"step {step++} ({mode}, N = {n})";
            var tol = 4.0 * (n * shape.Locations + 64) * UnitRoundoff<T>();
            Close(fast.Forward(x), reference.Forward(x), tol, what + " y");
            Close(fast.Backward(dy)!, reference.Backward(dy), tol, what + " ∂ℓ/∂x");
            Close(fast.PerChannel.Gamma.Grad.Data, reference.PerChannel.Gamma.Grad.Data, tol, what + " ∂ℓ/∂γ");
            Close(fast.PerChannel.Beta.Grad.Data, reference.PerChannel.Beta.Grad.Data, tol, what + " ∂ℓ/∂β");
            Close(fast.PerChannel.BatchMean.ToArray(), reference.PerChannel.BatchMean.ToArray(), tol, what + " μ_B");
            Close(fast.PerChannel.BatchVariance.ToArray(), reference.PerChannel.BatchVariance.ToArray(), tol, what + " σ²_B");
            Close(fast.PerChannel.RunningMean, reference.PerChannel.RunningMean, tol, what + " E[x]");
            Close(fast.PerChannel.RunningVariance, reference.PerChannel.RunningVariance, tol, what + " Var[x]");
            Assert.Equal(reference.PerChannel.BatchesTracked, fast.PerChannel.BatchesTracked);
        }
        Assert.Equal(3, fast.PerChannel.BatchesTracked);
    }

    private static double UnitRoundoff<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);

    private static void Close<T>(Matrix<T> actual, Matrix<T> expected, double tol, string what) where T : unmanaged, IFloatingPointIeee754<T> =>
        Close(actual.Data, expected.Data, tol, what);

    private static void Close<T>(T[] actual, T[] expected, double tol, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var error = ConvTestData.ScaledError(actual.Select(double.CreateChecked).ToArray(), expected.Select(double.CreateChecked).ToArray());
        Assert.True(error <= tol, $"{what}: differs from the reference by {error:E2} of its largest value (tolerance {tol:E1})");
    }
}
