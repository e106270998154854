using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// Spatial batch norm's semantics, checked against loops written from the paper's §3.2 (per channel over
/// N·H·W values), not against the layer's own building blocks: training forward, running statistics with the
/// unbiased factor m'/(m' − 1) for m' = N·H·W, inference, independence of batch-mates, folding into the conv.
/// </summary>
public class BatchNorm2dTests
{
    private static readonly ImageShape Shape = new(3, 4, 5);

    private static (BatchNorm2d<double> Bn, Random Rng) Layer(int seed, double? momentum = 0.1)
    {
        var rng = new Random(seed);
        var bn = new BatchNorm2d<double>("bn", Shape, momentum: momentum) { Mode = Mode.Training };
        TestData.RandomAffine(bn.PerChannel, rng);
        return (bn, rng);
    }

    private static Matrix<double> Batch(int n, Random rng) =>
        ConvTestData.Images<double>(n, Shape, rng, [3, -10, 0.5], [2, 0.5, 1]);

    /// <summary>μ and the biased σ² of channel c over every image and location: m' = N·H·W values.</summary>
    private static (double Mean, double Variance) ChannelStatistics(Matrix<double> x, int c)
    {
        var values = new List<double>();
        for (var n = 0; n < x.Rows; n++)
            for (var p = 0; p < Shape.Locations; p++) values.Add(x[n, c * Shape.Locations + p]);
        var mean = values.Average();
        return (mean, values.Select(v => (v - mean) * (v - mean)).Average());
    }

    [Fact]
    public void TrainingForwardNormalisesEachChannelOverImagesAndLocations()
    {
        var (bn, rng) = Layer(1);
        var x = Batch(4, rng);
        var y = bn.Forward(x);
        for (var c = 0; c < Shape.Channels; c++)
        {
            var (mean, variance) = ChannelStatistics(x, c);
            double gamma = bn.PerChannel.Gamma.Value.Data[c], beta = bn.PerChannel.Beta.Value.Data[c];
            for (var n = 0; n < x.Rows; n++)
                for (var p = 0; p < Shape.Locations; p++)
                {
                    var i = c * Shape.Locations + p;
                    var expected = gamma * (x[n, i] - mean) / Math.Sqrt(variance + 1e-5) + beta;
                    Assert.Equal(expected, y[n, i], 1e-12);
                }
            Assert.Equal(mean, bn.PerChannel.BatchMean[c], 1e-12);
            Assert.Equal(variance, bn.PerChannel.BatchVariance[c], 1e-12);
        }
    }

    [Fact]
    public void RunningStatisticsUseTheEffectiveBatchMTimesHTimesW()
    {
        var (bn, rng) = Layer(2);
        double[] runningMean = [0, 0, 0], runningVar = [1, 1, 1];
        foreach (var n in new[] { 2, 5, 1 }) // one image still gives H·W = 20 values per channel
        {
            var x = Batch(n, rng);
            bn.Forward(x);
            var m = n * Shape.Locations;
            for (var c = 0; c < Shape.Channels; c++)
            {
                var (mean, variance) = ChannelStatistics(x, c);
                runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean;
                runningVar[c] = 0.9 * runningVar[c] + 0.1 * variance * m / (m - 1);
            }
        }
        for (var c = 0; c < Shape.Channels; c++)
        {
            Assert.Equal(runningMean[c], bn.PerChannel.RunningMean[c], 1e-12);
            Assert.Equal(runningVar[c], bn.PerChannel.RunningVariance[c], 1e-12);
        }
    }

    [Fact]
    public void InferenceIsOneAffineMapPerChannelIndependentOfBatchMates()
    {
        var (bn, rng) = Layer(3, momentum: null);
        for (var k = 0; k < 3; k++) bn.Forward(Batch(6, rng));
        bn.Mode = Mode.Inference;
        var x = Batch(5, rng);
        var all = bn.Forward(x).Clone();
        var one = bn.Forward(x.SliceRows(2, 1));
        for (var i = 0; i < Shape.Size; i++) Assert.Equal(all[2, i], one[0, i], 1e-14);
        for (var c = 0; c < Shape.Channels; c++)
        {
            var s = bn.PerChannel.Gamma.Value.Data[c] / Math.Sqrt(bn.PerChannel.RunningVariance[c] + 1e-5);
            var t = bn.PerChannel.Beta.Value.Data[c] - s * bn.PerChannel.RunningMean[c];
            for (var p = 0; p < Shape.Locations; p++)
                Assert.Equal(s * x[4, c * Shape.Locations + p] + t, all[4, c * Shape.Locations + p], 1e-12);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FoldingIntoTheConvolutionGivesTheSameInferenceOutput(bool convBias)
    {
        var rng = new Random(4);
        var input = new ImageShape(2, 6, 7);
        var conv = Conv2d<double>.Create("conv", input, Shape.Channels, new Window(3, 2, 1), convBias, BatchNormLab.Models.WeightInitScheme.He, 1, rng);
        if (conv.Bias is not null) conv.Bias.Value.Data[1] = 0.7;
        var bn = new BatchNorm2d<double>("bn", conv.OutputShape) { Mode = Mode.Training };
        TestData.RandomAffine(bn.PerChannel, rng);
        for (var k = 0; k < 4; k++) bn.Forward(conv.Forward(ConvTestData.Images<double>(8, input, rng, [1, -2], [1, 3])));
        bn.Mode = Mode.Inference;
        var x = ConvTestData.Images<double>(3, input, rng, [1, -2], [1, 3]);
        var expected = bn.Forward(conv.Forward(x)).Clone();
        var folded = ConvBatchNormFolding.Fold(conv, bn);
        var actual = folded.Forward(x);
        Assert.True(ConvTestData.ScaledError(actual, expected) <= 1e-13, $"folded differs by {ConvTestData.ScaledError(actual, expected):E2}");
        Assert.NotNull(folded.Bias);
    }

    [Fact]
    public void GammaAndBetaAreTheChannelsOutputStandardDeviationAndMean()
    {
        var (bn, rng) = Layer(5);
        var y = bn.Forward(Batch(3, rng));
        for (var c = 0; c < Shape.Channels; c++)
        {
            var (mean, variance) = ChannelStatistics(y, c);
            Assert.Equal(bn.PerChannel.Beta.Value.Data[c], mean, 1e-12);
            var gamma = bn.PerChannel.Gamma.Value.Data[c];
            // σ² of the output is γ² σ²_B/(σ²_B + ε): slightly below γ².
            Assert.Equal(gamma * gamma, variance, 1e-4);
        }
    }
}
