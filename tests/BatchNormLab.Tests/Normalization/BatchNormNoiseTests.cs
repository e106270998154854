using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Normalization;

namespace BatchNormLab.Tests.Normalization;

/// <summary>Santurkar's noise after BN: the affine map per unit, its draws, its gradient, and a whole network with it.</summary>
public class BatchNormNoiseTests
{
    [Fact]
    public void Input_gradient_matches_central_differences_with_a_random_upstream_gradient()
    {
        var rng = new Random(3);
        var layer = new BatchNormNoise<double>("noise1", 5, meanNoise: 1.5, scaleNoise: 3, new Random(9)) { Mode = Mode.Training };
        var x = TestData.Gaussian<double>(7, 5, rng, std: 2);
        var dy = TestData.Gaussian<double>(7, 5, rng);
        layer.Forward(x);
        layer.HoldNoise = true; // the check evaluates the same function many times
        var dx = layer.Backward(dy)!;
        var r = GradientCheck.Check(() => TestData.Dot(layer.Forward(x), dy), x.Data, dx.Data);
        Assert.True(r.MaxRelativeError <= 1e-7, r.ToString()); // the tolerance of the other layers' checks
    }

    [Fact]
    public void Every_forward_draws_a_new_shift_and_scale_within_their_ranges_unless_held()
    {
        var layer = new BatchNormNoise<double>("noise1", 50, meanNoise: 0.7, scaleNoise: 2.5, new Random(1)) { Mode = Mode.Training };
        var x = TestData.Gaussian<double>(4, 50, new Random(2));
        var first = layer.Forward(x).Clone();
        var (shift, scale) = (layer.Shift.ToArray(), layer.Scale.ToArray());
        Assert.All(shift, m => Assert.InRange(m, -0.7, 0.7));
        Assert.All(scale, s => Assert.InRange(s, 1, 2.5));
        Assert.True(shift.Max() - shift.Min() > 0.5 && scale.Max() - scale.Min() > 0.7, "the draws should spread over their ranges");
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 50; j++) Assert.Equal(scale[j] * x[i, j] + shift[j], first[i, j], 12);
        layer.HoldNoise = true;
        Assert.Equal(first.Data, layer.Forward(x).Data);
        layer.HoldNoise = false;
        Assert.NotEqual(first.Data, layer.Forward(x).Data);
        Assert.NotEqual(shift, layer.Shift.ToArray());
    }

    [Fact]
    public void Inference_applies_the_expected_scale_and_the_draws_follow_the_seed()
    {
        var x = TestData.Gaussian<double>(3, 4, new Random(2));
        var layer = new BatchNormNoise<double>("n", 4, 1, 3, new Random(1)) { Mode = Mode.Inference };
        var y = layer.Forward(x);
        for (var i = 0; i < x.Data.Length; i++) Assert.Equal(2 * x.Data[i], y.Data[i], 12); // E[σ] = (1 + 3)/2, E[μ] = 0
        var a = new BatchNormNoise<double>("n", 4, 1, 3, new Random(5)) { Mode = Mode.Training };
        var b = new BatchNormNoise<double>("n", 4, 1, 3, new Random(5)) { Mode = Mode.Training };
        Assert.Equal(a.Forward(x).Data, b.Forward(x).Data);
    }

    [Fact]
    public void Bad_settings_and_models_without_batch_norm_get_clear_errors()
    {
        Assert.Contains("n_σ", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormNoise<float>("n", 3, 1, 0.5, new Random(1))).Message);
        Assert.Contains("n_μ", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormNoise<float>("n", 3, -1, 2, new Random(1))).Message);
        var plain = Mlp<float>.Create(new MlpOptions { Sizes = [4, 3, 2] }, 1);
        Assert.Contains("WithBatchNorm", Assert.Throws<ArgumentException>(() => BatchNormNoise<float>.AfterEachNormalization(plain, 1, 2, 1)).Message);
    }

    [Fact]
    public void A_network_with_noise_after_every_bn_layer_passes_a_whole_gradient_check()
    {
        var bnNet = Mlp<double>.Create(new MlpOptions { Sizes = [5, 4, 3, 3], Init = WeightInitScheme.Xavier, InitScale = 1.5 }.WithBatchNorm(), 7);
        var rng = new Random(11);
        foreach (var bn in bnNet.LayersOf<BatchNorm<double>>()) TestData.RandomAffine(bn, rng);
        var net = BatchNormNoise<double>.AfterEachNormalization(bnNet, 1.0, 2.0, seed: 4);
        Assert.Equal(["dense1", "bn1", "noise1", "sigmoid1", "dense2", "bn2", "noise2", "sigmoid2", "dense3"], net.Layers.Select(l => l.Name));
        var x = TestData.Gaussian<double>(6, 5, rng, std: 2);
        var labels = TestData.Labels(6, 3, rng);
        var ce = new SoftmaxCrossEntropy<double>();
        ce.Forward(net.Forward(x), labels);
        net.Backward(ce.Backward());
        foreach (var n in net.LayersOf<BatchNormNoise<double>>()) n.HoldNoise = true;
        double Loss() => ce.Forward(net.Forward(x), labels);
        foreach (var p in net.Parameters)
        {
            var analytic = (double[])p.Grad.Data.Clone();
            var r = GradientCheck.Check(Loss, p.Value.Data, analytic, Enumerable.Repeat(1e-4, p.Value.Data.Length).ToArray(), fourthOrder: true);
            Assert.True(r.MaxRelativeError <= 1e-7, $"{p.Name}: {r}");
        }
    }
}
