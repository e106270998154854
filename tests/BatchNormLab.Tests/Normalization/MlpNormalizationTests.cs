using BatchNormLab.Activations;
using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using static BatchNormLab.Tests.Normalization.NormalizationTestData;

namespace BatchNormLab.Tests.Normalization;

public class MlpNormalizationTests
{
    [Theory]
    [InlineData(NormalizationKind.BatchRenorm, typeof(BatchRenorm<double>))]
    [InlineData(NormalizationKind.LayerNorm, typeof(LayerNorm<double>))]
    public void FactoryPutsTheNormalisationBetweenLinearMapAndNonlinearity(NormalizationKind kind, Type layerType)
    {
        var mlp = Mlp<double>.Create(new MlpOptions { Sizes = [6, 5, 4, 3], Normalization = kind }, seed: 1);
        Assert.Equal(2, mlp.LayersOf<ActivationLayer<double>>().Count);
        Assert.Equal(2, mlp.Normalizations.Count);
        foreach (var normalization in mlp.Normalizations) Assert.IsType(layerType, normalization);
        Assert.All(mlp.LayersOf<Dense<double>>().SkipLast(1), dense => Assert.Null(dense.Bias));
        // Each normalisation sits right after its dense layer and right before the nonlinearity.
        for (var i = 0; i < mlp.Layers.Count; i++)
            if (mlp.Layers[i] is NormalizationLayer<double>)
            {
                Assert.IsType<Dense<double>>(mlp.Layers[i - 1]);
                Assert.IsType<ActivationLayer<double>>(mlp.Layers[i + 1]);
            }
        Assert.Empty(mlp.LayersOf<BatchNorm<double>>());
    }

    [Fact]
    public void AfterActivationPlacementPutsBatchNormAfterTheNonlinearityAndKeepsTheBias()
    {
        var options = new MlpOptions { Sizes = [6, 5, 4, 3], Normalization = NormalizationKind.BatchNorm, Placement = NormalizationPlacement.AfterActivation };
        var after = Mlp<double>.Create(options, seed: 1);
        Assert.Equal(["dense1", "sigmoid1", "bn1", "dense2", "sigmoid2", "bn2", "dense3"], after.Layers.Select(l => l.Name));
        Assert.All(after.LayersOf<Dense<double>>(), dense => Assert.NotNull(dense.Bias));
        var before = Mlp<double>.Create(options with { Placement = NormalizationPlacement.BeforeActivation }, seed: 1);
        Assert.Equal(["dense1", "bn1", "sigmoid1", "dense2", "bn2", "sigmoid2", "dense3"], before.Layers.Select(l => l.Name));
        // Same seed, same weights: the placement changes only where BN sits (a paired comparison).
        var wAfter = after.LayersOf<Dense<double>>().Select(d => d.Weights.Value.Data).ToList();
        var wBefore = before.LayersOf<Dense<double>>().Select(d => d.Weights.Value.Data).ToList();
        for (var k = 0; k < wAfter.Count; k++) Assert.Equal(wBefore[k], wAfter[k]);
        // After the nonlinearity, BN's input is g's output: in (0, 1) for the sigmoid.
        after.Mode = Mode.Training;
        var rng = new Random(3);
        after.Forward(Matrix(8, 6, rng, scale: [1, 2, 0.5, 1, 3, 1]));
        var bn1 = after.LayersOf<BatchNorm<double>>()[0];
        Assert.All(bn1.BatchMean.ToArray(), mu => Assert.InRange(mu, 0, 1));
    }

    [Fact]
    public void AfterActivationNetworkGradientCheck() =>
        // The whole network with BN after tanh (dense layers keep their bias), against central differences.
        AssertNetworkGradients(new MlpOptions { Sizes = [5, 6, 4, 3], Normalization = NormalizationKind.BatchNorm,
            Placement = NormalizationPlacement.AfterActivation, Activation = BatchNormLab.Activations.Activation.Tanh, InitScale = 0.7 }, seed: 22);

    [Fact]
    public void RenormOptionsReachTheLayers()
    {
        var schedule = BatchRenormSchedule.Paper.Scaled(0.01);
        var mlp = Mlp<float>.Create(new MlpOptions { Sizes = [6, 5, 3], Normalization = NormalizationKind.BatchRenorm, BatchRenormSchedule = schedule, BatchRenormRate = 0.2 }, seed: 1);
        var brn = Assert.IsType<BatchRenorm<float>>(mlp.Normalizations[0]);
        Assert.Equal(schedule, brn.Schedule);
        Assert.Equal(0.2, brn.Rate);
    }

    [Fact]
    public void WholeLayerNormNetworkGradientCheck()
    {
        // The network's loss against central differences in every parameter, layer norm included.
        AssertNetworkGradients(new MlpOptions { Sizes = [5, 6, 4, 3], Normalization = NormalizationKind.LayerNorm,
            Activation = BatchNormLab.Activations.Activation.Tanh, InitScale = 0.7 }, seed: 21);
    }

    /// <summary>Training-mode loss of a batch of 4 against central differences in every parameter, γ and β random.</summary>
    private static void AssertNetworkGradients(MlpOptions options, int seed)
    {
        var rng = new Random(seed);
        var mlp = Mlp<double>.Create(options, rng);
        mlp.Mode = Mode.Training;
        foreach (var norm in mlp.Normalizations)
        {
            Vector(norm.Features, rng, 0.5, 2).CopyTo(norm.Gamma.Value.Data, 0);
            Vector(norm.Features, rng, -0.5, 0.5).CopyTo(norm.Beta.Value.Data, 0);
        }
        var x = Matrix(4, 5, rng, scale: [1, 2, 0.5, 1, 3]);
        int[] labels = [0, 2, 1, 2];
        var loss = new SoftmaxCrossEntropy<double>();
        double Loss() => loss.Forward(mlp.Forward(x), labels);
        Loss();
        mlp.Backward(loss.Backward());
        foreach (var p in mlp.Parameters)
        {
            var analytic = (double[])p.Grad.Data.Clone();
            var check = GradientCheck.Check(Loss, p.Value.Data, analytic);
            Assert.True(check.MaxRelativeError <= 1e-7, $"{p.Name}: {check}");
        }
    }
}
