using BatchNormLab.Normalization;
using BatchNormLab.Activations;
using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Models;

/// <summary>The whole network's backward pass (every parameter, BN included) against central differences in double.</summary>
public class MlpGradientTests(ITestOutputHelper output)
{
    public const double Tolerance = 1e-7;

    [Theory]
    [InlineData(Activation.Sigmoid, true, true)]
    [InlineData(Activation.Tanh, true, true)]
    [InlineData(Activation.ReLU, true, true)]
    [InlineData(Activation.Sigmoid, false, true)]
    [InlineData(Activation.Tanh, false, true)]
    // Without BN, this ReLU network has a unit whose input sits within 2e-4 of the kink for one example:
    // the wide fourth-order stencil would straddle it, so this case uses the plain central difference, h = 1e-5.
    [InlineData(Activation.ReLU, false, false)]
    public void EveryParameterMatchesCentralDifferences(Activation activation, bool batchNorm, bool fourthOrder)
    {
        var options = new MlpOptions { Sizes = [5, 4, 3, 3], Activation = activation, Init = WeightInitScheme.Xavier, InitScale = 1.5 };
        var net = Mlp<double>.Create(batchNorm ? options.WithBatchNorm() : options, 7);
        var rng = new Random(11);
        foreach (var bn in net.LayersOf<BatchNorm<double>>()) TestData.RandomAffine(bn, rng);
        foreach (var p in net.Parameters.Where(p => p.Name.EndsWith(".b", StringComparison.Ordinal)))
            for (var i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] = 0.3 * WeightInit.Gaussian(rng);
        var x = TestData.Gaussian<double>(6, 5, rng, std: 2);
        for (var i = 0; i < x.Data.Length; i++) x.Data[i] += 1.5; // BN must remove the offset, the rest must cope with it
        var labels = TestData.Labels(6, 3, rng);
        var ce = new SoftmaxCrossEntropy<double>();
        net.Mode = Mode.Training;
        double Loss() => ce.Forward(net.Forward(x), labels);

        Loss();
        net.Backward(ce.Backward());
        var analytic = net.Parameters.ToDictionary(p => p, p => (double[])p.Grad.Data.Clone());
        Assert.Equal(batchNorm ? 2 * 3 + 2 : 3 * 2, net.Parameters.Count); // BN blocks: W, γ, β (no bias); plain: W, b
        var worst = 0.0;
        foreach (var p in net.Parameters)
        {
            // Fourth-order stencil: truncation ~h⁴, so h = 1e-4 is accurate and divides the loss's rounding noise
            // by a larger step than 1e-5, keeping small gradient elements well below the tolerance.
            var h = fourthOrder ? 1e-4 : 1e-5;
            var r = GradientCheck.Check(Loss, p.Value.Data, analytic[p], Enumerable.Repeat(h, p.Value.Data.Length).ToArray(), fourthOrder);
            output.WriteLine($"{activation}{(batchNorm ? "+BN" : "")} {p}: {r}");
            worst = Math.Max(worst, r.MaxRelativeError);
            Assert.True(r.MaxRelativeError <= Tolerance, $"{p.Name}: {r}");
        }
        output.WriteLine($"{activation}{(batchNorm ? "+BN" : "")}: worst over all parameters {worst:E2}");
    }
}
