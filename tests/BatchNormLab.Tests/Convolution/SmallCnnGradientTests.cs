using BatchNormLab.Activations;
using BatchNormLab.Checks;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// A whole small CNN (conv, spatial BN, tanh, max pooling, twice; then a dense head and softmax cross-entropy):
/// every parameter against central differences in double. Tanh instead of ReLU keeps the loss smooth except at
/// pooling's switches, which random inputs keep far from the stencil's ±2e-4.
/// </summary>
public class SmallCnnGradientTests(ITestOutputHelper output)
{
    public const double Tolerance = 1e-7;

    // Fourth-order stencil, h = 1e-4: truncation ~h⁴, and a wider step than 1e-5 divides the loss's rounding noise,
    // so gradient elements of 1e-5 are still resolved to the tolerance (as in the MLP's check).
    private static double[] Steps(int count) => Enumerable.Repeat(1e-4, count).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryParameterMatchesCentralDifferences(bool batchNorm)
    {
        var rng = new Random(5);
        var input = new ImageShape(2, 8, 8);
        var layers = new List<ILayer<double>>();
        var shape = input;
        foreach (var (name, channels) in new[] { ("1", 3), ("2", 4) })
        {
            var conv = Conv2d<double>.Create("conv" + name, shape, channels, new Window(3, 1, 1), !batchNorm, WeightInitScheme.He, 1, rng);
            layers.Add(conv);
            if (conv.Bias is not null)
                for (var o = 0; o < channels; o++) conv.Bias.Value.Data[o] = 0.2 * WeightInit.Gaussian(rng);
            if (batchNorm)
            {
                var bn = new BatchNorm2d<double>("bn" + name, conv.OutputShape);
                TestData.RandomAffine(bn.PerChannel, rng);
                layers.Add(bn);
            }
            layers.Add(new ActivationLayer<double>("tanh" + name, Activation.Tanh));
            var pool = new MaxPool2d<double>("pool" + name, conv.OutputShape, 2);
            layers.Add(pool);
            shape = pool.OutputShape;
        }
        layers.Add(new Dense<double>("dense", WeightInit.Create<double>(WeightInitScheme.Xavier, shape.Size, 3, 1, rng), bias: true));
        foreach (var layer in layers) layer.Mode = Mode.Training;
        var x = ConvTestData.Images<double>(4, input, rng, [1.5, -0.5], [2, 1]);
        var labels = TestData.Labels(4, 3, rng);
        var ce = new SoftmaxCrossEntropy<double>();
        double Loss()
        {
            var h = x;
            foreach (var layer in layers) h = layer.Forward(h);
            return ce.Forward(h, labels);
        }

        Loss();
        var g = ce.Backward();
        for (var l = layers.Count - 1; l >= 0; l--) g = layers[l].Backward(g)!;
        var parameters = layers.SelectMany(l => l.Parameters).ToList();
        var analytic = parameters.ToDictionary(p => p, p => (double[])p.Grad.Data.Clone());
        Assert.Equal(batchNorm ? 2 * 3 + 2 : 2 * 2 + 2, parameters.Count);
        foreach (var p in parameters)
        {
            var r = GradientCheck.Check(Loss, p.Value.Data, analytic[p], Steps(p.Value.Data.Length), fourthOrder: true);
            output.WriteLine($"{(batchNorm ? "BN" : "plain")} {p}: {r}");
            Assert.True(r.MaxRelativeError <= Tolerance, $"{p.Name}: {r}");
        }
        var rx = GradientCheck.Check(Loss, x.Data, g.Data.ToArray(), Steps(x.Data.Length), fourthOrder: true);
        output.WriteLine($"{(batchNorm ? "BN" : "plain")} input: {rx}");
        // ∂ℓ/∂x has elements of 1e-9 (pixels whose paths nearly cancel, or lose most windows): element-wise relative
        // error is ill-posed there, so the input is held to the error relative to the gradient's scale.
        Assert.True(rx.MaxScaledError <= Tolerance, $"input: {rx}");
    }
}
