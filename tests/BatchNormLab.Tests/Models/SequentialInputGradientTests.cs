using BatchNormLab.Activations;
using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;

namespace BatchNormLab.Tests.Models;

/// <summary>Sequential.Backward returns ∂ℓ/∂input (what a GAN's discriminator hands its generator).</summary>
public class SequentialInputGradientTests
{
    [Fact]
    public void ReturnsTheInputGradientOfAWholeNetworkWithBatchNorm()
    {
        var rng = new Random(3);
        var bn = new BatchNorm<double>("bn", 5);
        TestData.RandomAffine(bn, rng);
        var model = new Sequential<double>(4, 3,
        [
            new Dense<double>("dense1", WeightInit.Create<double>(WeightInitScheme.Xavier, 4, 5, 1.0, rng), bias: false),
            bn,
            new ActivationLayer<double>("tanh1", Activation.Tanh),
            new Dense<double>("dense2", WeightInit.Create<double>(WeightInitScheme.Xavier, 5, 3, 1.0, rng), bias: true),
        ]) { Mode = Mode.Training };
        var x = TestData.Features(6, [1, -2, 0.5, 3], [1, 0.5, 2, 1], rng);
        var dy = TestData.Gaussian<double>(6, 3, rng);
        model.Forward(x);
        var dx = model.Backward(dy);
        Assert.NotNull(dx);
        var r = GradientCheck.Check(() => TestData.Dot(dy, model.Forward(x)), x.Data, dx.Clone().Data);
        Assert.True(r.MaxRelativeError < 1e-7, r.ToString());
    }

    [Fact]
    public void ReturnsNullWhenTheFirstLayerSkipsItsInputGradient()
    {
        var model = Mlp<double>.Create(new MlpOptions { Sizes = [4, 3, 2] }, seed: 1);
        model.Forward(TestData.Gaussian<double>(5, 4, new Random(1)));
        Assert.Null(model.Backward(TestData.Gaussian<double>(5, 2, new Random(2))));
    }
}
