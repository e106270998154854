using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Models;
using BatchNormLab.Training;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

/// <summary>The CNN pair on Fashion-MNIST with a short budget (300 steps, 2,000 test images), run once for the class.</summary>
public sealed class CnnFixture
{
    public const int Steps = 300;

    public CnnFixture()
    {
        var data = FashionMnist.Load();
        Train = data.Train;
        Test = data.Test.Take(2_000);
        Options = new CnnExperimentOptions { Steps = Steps, EvaluateEvery = 100, StatisticsEvery = 50 };
        Result = CnnExperiment.Run(Options, Train, Test);
    }

    public Dataset Train { get; }

    public Dataset Test { get; }

    public CnnExperimentOptions Options { get; }

    public CnnExperimentResult Result { get; }
}

public class CnnExperimentTests(CnnFixture fixture, ITestOutputHelper output) : IClassFixture<CnnFixture>
{
    private readonly CnnExperimentResult _r = fixture.Result;

    [Fact]
    public void BothNetworksLearnAndBatchNormIsAheadEarly()
    {
        var steps = _r.WithBatchNorm.EvaluationSteps;
        for (var k = 0; k < steps.Length; k++)
            output.WriteLine($"step {steps[k],4}: without {_r.WithoutBatchNorm.TestAccuracy[k]:P1}, with {_r.WithBatchNorm.TestAccuracy[k]:P1}");
        foreach (var h in new[] { _r.WithoutBatchNorm, _r.WithBatchNorm })
        {
            Assert.Null(h.DivergedAtStep);
            Assert.InRange(h.TestAccuracy[0], 0.0, 0.2); // untrained: about chance
            Assert.True(h.FinalTestAccuracy > 0.8, $"final accuracy {h.FinalTestAccuracy:P1} after {CnnFixture.Steps} steps");
        }
        // At the first evaluation (step 100) BN leads clearly; the lead then narrows.
        Assert.True(_r.WithBatchNorm.TestAccuracy[1] > _r.WithoutBatchNorm.TestAccuracy[1] + 0.03,
            $"step 100: with BN {_r.WithBatchNorm.TestAccuracy[1]:P1}, without {_r.WithoutBatchNorm.TestAccuracy[1]:P1}");
    }

    [Fact]
    public void ThePairStartsFromTheSameWeightsAndIsDeterministic()
    {
        var (without, with) = CnnExperiment.CreateNetworks(fixture.Options);
        var w = without.Parameters.Where(p => p.Name.EndsWith(".W", StringComparison.Ordinal)).ToList();
        var b = with.Parameters.Where(p => p.Name.EndsWith(".W", StringComparison.Ordinal)).ToList();
        Assert.Equal(w.Select(p => p.Name), b.Select(p => p.Name));
        for (var i = 0; i < w.Count; i++) Assert.Equal(w[i].Value.Data, b[i].Value.Data);
        var again = CnnExperiment.Run(fixture.Options with { Steps = 20, EvaluateEvery = 20, Parallel = false }, fixture.Train, fixture.Test.Take(200));
        var parallel = CnnExperiment.Run(fixture.Options with { Steps = 20, EvaluateEvery = 20 }, fixture.Train, fixture.Test.Take(200));
        Assert.Equal(again.WithBatchNorm.StepLoss, parallel.WithBatchNorm.StepLoss);
        Assert.Equal(again.WithoutBatchNorm.StepLoss, parallel.WithoutBatchNorm.StepLoss);
    }

    [Fact]
    public void ChannelStatisticsAreRecordedForBothNetworks()
    {
        foreach (var s in new[] { _r.ChannelsWithout, _r.ChannelsWith })
        {
            Assert.Equal(Enumerable.Range(0, CnnFixture.Steps / 50).Select(k => k * 50), s.Steps);
            Assert.Equal(fixture.Options.Network.Channels[1], s.Channels);
            Assert.All(s.ConvStd.SelectMany(r => r), v => Assert.True(v > 0 && double.IsFinite(v)));
        }
        // Without BN the ReLU's input is the convolution's output; with BN it is not.
        Assert.Equal(_r.ChannelsWithout.ConvMean, _r.ChannelsWithout.ReluMean);
        Assert.NotEqual(_r.ChannelsWith.ConvMean, _r.ChannelsWith.ReluMean);
    }

    [Fact]
    public void SpatialBatchNormToleratesSmallBatchesFarBetterThanDenseBatchNorm()
    {
        int[] sizes = [2, 60];
        var cnn = BatchSizeEffect.Measure(_r.ModelWith, fixture.Train, fixture.Test, sizes);
        var mlp = Mlp<float>.Create(new MlpOptions { Activation = Activation.ReLU, Init = WeightInitScheme.He, InitScale = 1 }.WithBatchNorm(), 1);
        Trainer.Train(mlp, new MinibatchIterator(fixture.Train, 60, BatchOrder.Shuffled, 1), null, new TrainingOptions { Steps = CnnFixture.Steps, LearningRate = 0.1 });
        var dense = BatchSizeEffect.Measure(mlp, fixture.Train, fixture.Test, sizes);
        foreach (var p in cnn.Concat(dense)) output.WriteLine(p.ToString());
        Assert.Equal(2 * 28 * 28, cnn[0].ValuesPerStatistic);
        Assert.Equal(2, dense[0].ValuesPerStatistic);
        // μ_B from 2 examples: about 1/√2 of σ for a dense feature, several times less for a channel.
        Assert.InRange(dense[0].RelativeSpreadOfMean, 0.5, 0.9);
        Assert.True(cnn[0].RelativeSpreadOfMean < dense[0].RelativeSpreadOfMean / 2, $"{cnn[0]} vs {dense[0]}");
        // Spread shrinks with m.
        Assert.True(cnn[1].RelativeSpreadOfMean < cnn[0].RelativeSpreadOfMean / 3);
        // Training mode on test batches of 2: the CNN barely notices, the MLP collapses.
        Assert.True(cnn[0].TrainingModeAccuracy > cnn[1].TrainingModeAccuracy - 0.03, $"{cnn[0]} vs {cnn[1]}");
        Assert.True(dense[0].TrainingModeAccuracy < dense[1].TrainingModeAccuracy - 0.2, $"{dense[0]} vs {dense[1]}");
    }
}
