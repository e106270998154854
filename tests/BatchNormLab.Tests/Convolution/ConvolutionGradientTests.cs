using BatchNormLab.Checks;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// Conv2d, MaxPool2d and BatchNorm2d against central differences in double, for ℓ = Σ dy ⊙ y with a random
/// upstream dy, batches of 2 or more and non-trivial parameters: every input and every parameter.
/// </summary>
public class ConvolutionGradientTests(ITestOutputHelper output)
{
    public const double Tolerance = 1e-7;

    [Theory]
    [InlineData(2, 2, 6, 6, 3, 3, 1, 1, true)]
    [InlineData(3, 3, 7, 5, 2, 3, 2, 1, true)]
    [InlineData(2, 1, 5, 5, 4, 2, 1, 0, false)]
    [InlineData(2, 2, 8, 8, 3, 5, 2, 2, true)]
    public void Conv2dGradientsMatchCentralDifferences(int n, int c, int h, int w, int cOut, int k, int s, int pad, bool bias)
    {
        var rng = new Random(n * 100 + k * 10 + s);
        var conv = Conv2d<double>.Create("conv", new ImageShape(c, h, w), cOut, new Window(k, s, pad), bias,
            BatchNormLab.Models.WeightInitScheme.He, 1, rng);
        if (conv.Bias is not null)
            for (var o = 0; o < cOut; o++) conv.Bias.Value.Data[o] = rng.NextDouble() * 2 - 1;
        var x = ConvTestData.Images<double>(n, conv.InputShape, rng);
        var dy = TestData.Gaussian<double>(n, conv.OutputShape.Size, rng);
        conv.Forward(x);
        var dx = conv.Backward(dy)!.Clone();
        double Loss() => TestData.Dot(dy, conv.Forward(x));

        Expect("conv dx", GradientCheck.Check(Loss, x.Data, dx.Data));
        Expect("conv dW", GradientCheck.Check(Loss, conv.Weights.Value.Data, conv.Weights.Grad.Data.ToArray()));
        if (conv.Bias is not null) Expect("conv db", GradientCheck.Check(Loss, conv.Bias.Value.Data, conv.Bias.Grad.Data.ToArray()));
    }

    [Theory]
    [InlineData(2, 3, 6, 6, 2, null, 0)] // the usual 2x2, stride 2
    [InlineData(3, 2, 7, 7, 3, 2, 1)]    // overlapping windows (one input can win twice), padding, odd size
    [InlineData(2, 1, 5, 4, 2, 1, 0)]    // stride 1
    public void MaxPool2dGradientMatchesCentralDifferences(int n, int c, int h, int w, int k, int? s, int pad)
    {
        var rng = new Random(17 + n + k);
        var pool = new MaxPool2d<double>("pool", new ImageShape(c, h, w), k, s, pad);
        var x = ConvTestData.DistinctImages(n, pool.InputShape, rng);
        var dy = TestData.Gaussian<double>(n, pool.OutputShape.Size, rng);
        pool.Forward(x);
        var dx = pool.Backward(dy)!.Clone();
        Expect("pool dx", GradientCheck.Check(() => TestData.Dot(dy, pool.Forward(x)), x.Data, dx.Data));
    }

    [Theory]
    [InlineData(2, 3, 4, 4, BatchNormBackward.ClosedForm)]
    [InlineData(3, 2, 3, 5, BatchNormBackward.ClosedForm)]
    [InlineData(1, 4, 3, 3, BatchNormBackward.ClosedForm)] // one image: the statistics still have H·W = 9 values per channel
    [InlineData(2, 3, 4, 4, BatchNormBackward.Graph)]
    [InlineData(2, 2, 1, 1, BatchNormBackward.ClosedForm)] // 1x1 maps: BatchNorm1d's case
    public void BatchNorm2dGradientsMatchCentralDifferences(int n, int c, int h, int w, BatchNormBackward form)
    {
        var rng = new Random(31 + n * 10 + c);
        var bn = new BatchNorm2d<double>("bn", new ImageShape(c, h, w)) { Mode = Mode.Training };
        bn.PerChannel.BackwardForm = form;
        TestData.RandomAffine(bn.PerChannel, rng);
        // Channels with different offsets and spreads (one near √ε, where ε matters in the gradient).
        var means = TestData.Uniform(c, -5, 5, rng);
        var stds = Enumerable.Range(0, c).Select(j => j == 1 ? 0.01 : 0.5 + 2 * rng.NextDouble()).ToArray();
        var x = ConvTestData.Images<double>(n, bn.Shape, rng, means, stds);
        var dy = TestData.Gaussian<double>(n, bn.Shape.Size, rng);
        bn.Forward(x);
        var dx = bn.Backward(dy)!.Clone();
        var dGamma = bn.PerChannel.Gamma.Grad.Data.ToArray();
        var dBeta = bn.PerChannel.Beta.Grad.Data.ToArray();
        double Loss() => TestData.Dot(dy, bn.Forward(x));

        // A step of 1e-3 of the smallest spread keeps the central difference's truncation error (h/σ)² tiny.
        var steps = Enumerable.Range(0, x.Data.Length).Select(i => 1e-3 * stds[(i % bn.Shape.Size) / bn.Shape.Locations]).ToArray();
        var r = GradientCheck.Check(Loss, x.Data, dx.Data, steps, fourthOrder: true);
        output.WriteLine($"bn2d dx: {r}");
        Assert.True(r.MaxScaledError <= Tolerance, $"bn2d dx: {r}");
        Expect("bn2d dgamma", GradientCheck.Check(Loss, bn.PerChannel.Gamma.Value.Data, dGamma));
        Expect("bn2d dbeta", GradientCheck.Check(Loss, bn.PerChannel.Beta.Value.Data, dBeta));
    }

    private void Expect(string what, GradientCheckResult r)
    {
        output.WriteLine($"{what}: {r}");
        Assert.True(r.MaxRelativeError <= Tolerance, $"{what}: {r}");
    }
}
