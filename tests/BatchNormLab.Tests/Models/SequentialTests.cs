using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Models;

/// <summary>A model is any sequence of layers; the MLP builder is one way to make it.</summary>
public class SequentialTests
{
    [Fact]
    public void Hand_built_layers_compute_what_the_mlp_builder_builds()
    {
        var options = new MlpOptions { Sizes = [6, 5, 3] }.WithBatchNorm();
        var built = Mlp<double>.Create(options, 4);
        var rng = new Random(4); // the builder draws the weights layer by layer from this seed
        var hand = new Sequential<double>(6, 3,
        [
            new Dense<double>("dense1", WeightInit.Create<double>(options.Init, 6, 5, options.InitScale, rng), bias: false),
            new BatchNorm<double>("bn1", 5),
            new ActivationLayer<double>("sigmoid1", Activation.Sigmoid),
            new Dense<double>("dense2", WeightInit.Create<double>(options.Init, 5, 3, options.InitScale, rng), bias: true),
        ]);
        var x = TestData.Gaussian<double>(7, 6, new Random(1));
        Assert.Equal(built.Forward(x).Data, hand.Forward(x).Data);
        Assert.Equal(built.Layers.Select(l => l.Name), hand.Layers.Select(l => l.Name));
        Assert.Single(hand.Normalizations);
    }

    [Fact]
    public void Mode_is_the_models_own_and_reaches_every_layer()
    {
        var net = Mlp<float>.Create(new MlpOptions { Sizes = [4, 3, 2] }.WithBatchNorm(), 1);
        net.Mode = Mode.Inference;
        Assert.Equal(Mode.Inference, net.Mode);
        Assert.All(net.Layers, l => Assert.Equal(Mode.Inference, l.Mode));
    }

    [Fact]
    public void Bad_construction_is_named()
    {
        var a = new ActivationLayer<float>("a", Activation.Tanh);
        Assert.Contains("named 'a'", Assert.Throws<ArgumentException>(() => new Sequential<float>(2, 2, [a, a])).Message);
        Assert.Throws<ArgumentException>(() => new Sequential<float>(2, 2, []));
        var wrongWidth = new Sequential<float>(2, 5, [new ActivationLayer<float>("t", Activation.Tanh)]);
        Assert.Contains("declared with 5 outputs", Assert.Throws<InvalidOperationException>(() => wrongWidth.Forward(new Matrix<float>(3, 2))).Message);
    }

    [Fact]
    public void Every_normalisation_layer_snapshots_and_restores_its_running_estimates()
    {
        var net = Mlp<float>.Create(new MlpOptions { Sizes = [4, 3, 3, 2], Normalization = NormalizationKind.BatchRenorm }, 1);
        var saved = RunningStatistics<float>.Capture(net);
        var brn = net.LayersOf<BatchRenorm<float>>();
        var before = brn.Select(b => (b.RunningMean.ToArray(), b.RunningStd.ToArray(), b.Step)).ToArray();
        net.Forward(TestData.Gaussian<float>(8, 4, new Random(2), std: 3));
        Assert.All(brn, b => Assert.Equal(1, b.Step));
        saved.Restore();
        for (var i = 0; i < brn.Count; i++)
        {
            Assert.Equal(before[i].Item1, brn[i].RunningMean);
            Assert.Equal(before[i].Item2, brn[i].RunningStd);
            Assert.Equal(before[i].Item3, brn[i].Step);
        }
    }

    [Fact]
    public void Layer_norm_has_no_running_statistics_and_says_so()
    {
        var ln = new LayerNorm<float>("ln1", 4);
        Assert.False(ln.HasRunningStatistics);
        var e = Assert.Throws<InvalidOperationException>(() => ln.SetPopulationStatistics(new double[4], new double[4], 10));
        Assert.Contains("keeps no running statistics", e.Message);
        var other = new BatchNorm<float>("bn1", 4);
        Assert.Contains("taken of 'bn1'", Assert.Throws<ArgumentException>(() => new BatchNorm<float>("bn2", 4).Restore(other.Snapshot())).Message);
    }

    [Fact]
    public void Population_statistics_are_stored_as_each_layer_keeps_them()
    {
        var bn = new BatchNorm<double>("bn", 2);
        bn.SetPopulationStatistics([1.0, -2.0], [4.0, 9.0], count: 5);
        Assert.Equal([1.0, -2.0], bn.RunningMean);
        Assert.Equal([4.0 * 5 / 4, 9.0 * 5 / 4], bn.RunningVariance); // unbiased, n/(n − 1)
        var brn = new BatchRenorm<double>("brn", 2, eps: 1e-3);
        brn.SetPopulationStatistics([1.0, -2.0], [4.0, 9.0], count: 5);
        Assert.Equal([Math.Sqrt(4.001), Math.Sqrt(9.001)], brn.RunningStd);
    }
}
