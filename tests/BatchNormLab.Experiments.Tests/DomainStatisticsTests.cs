using BatchNormLab.Experiments;
using BatchNormLab.Models;

namespace BatchNormLab.Experiments.Tests;

public class DomainStatisticsTests
{
    [Fact]
    public void SeparateStatisticsPerDomainBeatSharedOnes()
    {
        var result = DomainStatistics.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, PerilsTestSetup.Options with { Steps = 600 });
        var text = $"{result.Shared}\n{result.Separate}";
        // In training mode each batch is normalised with its own domain's statistics: both set-ups train alike.
        Assert.True(Math.Abs(result.Shared.TrainingModeAccuracy - result.Separate.TrainingModeAccuracy) < 0.03, text);
        // In inference mode shared running estimates sit between the domains, and accuracy drops.
        Assert.True(result.Separate.InferenceAccuracy > result.Shared.InferenceAccuracy + 0.03, text);
        Assert.True(result.Shared.TrainingModeAccuracy - result.Shared.InferenceAccuracy > result.Separate.TrainingModeAccuracy - result.Separate.InferenceAccuracy + 0.03, text);
        Assert.True(result.Shared.RunningMeanDistance > result.Separate.RunningMeanDistance, text);
    }

    [Fact]
    public void InvertedIntensitiesDefeatSharedNormalisationEvenInTrainingMode()
    {
        var options = PerilsTestSetup.Options with { Steps = 300, EvaluationExamples = 1000, Init = WeightInitScheme.Xavier, InitScale = 1 };
        var result = DomainStatistics.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, options, DomainStatistics.Inverted, "inverted");
        var text = $"{result.Shared}\n{result.Separate}\nplain {result.PlainAccuracyA:P1} / {result.PlainAccuracyB:P1}";
        Assert.True(result.Separate.InferenceAccuracy > result.Shared.InferenceAccuracy + 0.2, text);
        Assert.True(result.Separate.TrainingModeAccuracy > result.Shared.TrainingModeAccuracy + 0.2, text);
        // Separate BN layers (own statistics, γ, β per domain) also beat the control without normalisation.
        Assert.True(result.Separate.InferenceAccuracy > result.PlainAccuracy, text);
    }

    [Fact]
    public void DomainsShareWeightsButNotSeparateBatchNorms()
    {
        var options = new MlpOptions { Sizes = [6, 5, 4, 3] }.WithBatchNorm();
        var shared = new TwoDomainNetwork(options, separateStatistics: false, seed: 1);
        var separate = new TwoDomainNetwork(options, separateStatistics: true, seed: 1);
        Assert.Equal(shared.BatchNorms(0), shared.BatchNorms(1));
        Assert.Empty(separate.BatchNorms(0).Intersect(separate.BatchNorms(1)));
        // Weights 6x5, 5x4, 4x3 and the output bias; each batch norm layer adds γ and β.
        Assert.Equal(4 + 2 * 2, shared.Model.Parameters.Count);
        Assert.Equal(4 + 2 * 2 * 2, separate.Model.Parameters.Count);
        Assert.Equal(shared.Model.Parameters[0].Value.Data, separate.Model.Parameters[0].Value.Data);
        // Each domain's view shares the dense layers and has its own batch norms.
        Assert.Same(separate.For(0).Layers[0], separate.For(1).Layers[0]);
        Assert.NotSame(separate.For(0).Layers[1], separate.For(1).Layers[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => shared.For(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => separate.Domain = 2);
    }
}
