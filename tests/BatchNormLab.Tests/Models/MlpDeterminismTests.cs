using BatchNormLab.Normalization;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;

namespace BatchNormLab.Tests.Models;

/// <summary>Every random choice takes a seed: the same seed gives bit-identical weights and losses.</summary>
public class MlpDeterminismTests
{
    private static (float[] Weights, float[] Losses) Train(int seed, bool batchNorm)
    {
        var options = new MlpOptions { Sizes = [12, 10, 8, 4] };
        var net = Mlp<float>.Create(batchNorm ? options.WithBatchNorm() : options, seed);
        var data = new Random(seed + 1000); // the data are seeded too
        var ce = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(0.2, momentum: 0.5);
        net.Mode = Mode.Training;
        var losses = new float[8];
        for (var step = 0; step < losses.Length; step++)
        {
            var x = TestData.Gaussian<float>(16, 12, data);
            losses[step] = ce.Forward(net.Forward(x), TestData.Labels(16, 4, data));
            net.Backward(ce.Backward());
            sgd.Step(net.Parameters);
        }
        var weights = net.Parameters.SelectMany(p => p.Value.Data)
            .Concat(net.LayersOf<BatchNorm<float>>().SelectMany(bn => bn.RunningMean.Concat(bn.RunningVariance))).ToArray();
        return (weights, losses);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SameSeedGivesBitIdenticalResults(bool batchNorm)
    {
        var a = Train(42, batchNorm);
        var b = Train(42, batchNorm);
        Assert.Equal(a.Weights.Select(BitConverter.SingleToInt32Bits), b.Weights.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(a.Losses.Select(BitConverter.SingleToInt32Bits), b.Losses.Select(BitConverter.SingleToInt32Bits));
        Assert.True(a.Losses[^1] != a.Losses[0], "training did not change the loss; the comparison would be vacuous");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DifferentSeedGivesDifferentResults(bool batchNorm)
    {
        var a = Train(42, batchNorm);
        var c = Train(43, batchNorm);
        Assert.NotEqual(a.Weights, c.Weights);
        Assert.NotEqual(a.Losses, c.Losses);
    }
}
