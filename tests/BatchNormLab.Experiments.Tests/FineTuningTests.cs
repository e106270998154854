using BatchNormLab.Models;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

public class FineTuningTests(ITestOutputHelper output)
{
    private static readonly PerilsOptions Options = PerilsTestSetup.Options with { Init = WeightInitScheme.Xavier, InitScale = 1, Steps = 800 };

    private void Print(FineTuningResult r)
    {
        output.WriteLine($"pretrained src {r.PretrainedSourceAccuracy:F3} tgt {r.PretrainedTargetAccuracy:F3} recal {r.RecalibratedTargetAccuracy:F3}");
        foreach (var run in r.Runs)
            output.WriteLine($"  m={run.BatchSize} {run.Variant}: final {run.FinalAccuracy:F3} late {run.LateAccuracy:F3} src {run.SourceAccuracy:F3} shift {run.RunningMeanShift:F2}");
    }

    [Fact]
    public void OnNewClassesFrozenStatisticsWinAtBatchTwoAndTrainingModeWinsAtBatchSixteen()
    {
        var train = PerilsTestSetup.Train;
        var test = PerilsTestSetup.Test;
        var r = FineTuning.Run(train.WhereClass(0, 1, 2, 3, 4), test.WhereClass(0, 1, 2, 3, 4), train.WhereClass(5, 6, 7, 8, 9), test.WhereClass(5, 6, 7, 8, 9),
            Options, new FineTuningOptions { BatchSizes = [2, 16], Steps = 250 });
        Print(r);
        var table = string.Join("\n", r.Runs);
        Assert.Equal(6, r.Runs.Count);
        // Pretrained on five classes, the network never predicts the other five.
        Assert.True(r.PretrainedTargetAccuracy < 0.05, table);
        Assert.True(r[BatchNormFineTuning.FrozenStatistics, 2].LateAccuracy > r[BatchNormFineTuning.TrainingMode, 2].LateAccuracy + 0.2, table);
        Assert.True(r[BatchNormFineTuning.TrainingMode, 16].LateAccuracy > r[BatchNormFineTuning.FrozenStatistics, 16].LateAccuracy, table);
        // Inference mode leaves the running estimates exactly where pretraining put them; training mode moves them.
        Assert.All(r.Runs, run => Assert.True(run.Variant == BatchNormFineTuning.TrainingMode ? run.RunningMeanShift > 0.1 : run.RunningMeanShift == 0, table));
        Assert.All(r.Runs, run => Assert.Equal(11, run.Steps.Length));
    }

    [Fact]
    public void OnInvertedImagesFrozenStatisticsAreWrongAndTrainingModeWins()
    {
        var train = PerilsTestSetup.Train;
        var test = PerilsTestSetup.Test;
        var r = FineTuning.Run(train, test, train.Transform(DomainStatistics.Inverted), test.Transform(DomainStatistics.Inverted),
            Options, new FineTuningOptions { BatchSizes = [16], Steps = 250 },
            [BatchNormFineTuning.TrainingMode, BatchNormFineTuning.FrozenLayer]);
        Print(r);
        var table = string.Join("\n", r.Runs);
        Assert.True(r.PretrainedTargetAccuracy < 0.3, table);
        Assert.True(r[BatchNormFineTuning.TrainingMode, 16].LateAccuracy > r[BatchNormFineTuning.FrozenLayer, 16].LateAccuracy + 0.2, table);
        // In training mode the first layer's running means travel more than a running standard deviation to the new data.
        Assert.True(r[BatchNormFineTuning.TrainingMode, 16].RunningMeanShift > 1, table);
    }

    [Fact]
    public void FrozenLayerKeepsGammaAndBetaAndTheModelIsLeftAsPretrained()
    {
        var train = PerilsTestSetup.Train;
        var test = PerilsTestSetup.Test;
        var options = Options with { Steps = 50, EvaluationExamples = 200 };
        var r = FineTuning.Run(train, test, train.Transform(DomainStatistics.WashedOut), test.Transform(DomainStatistics.WashedOut),
            options, new FineTuningOptions { BatchSizes = [4], Steps = 20, EvaluateEvery = 10 });
        // Same pretrained weights for every variant: the step-0 accuracies agree exactly.
        Assert.Single(r.Runs.Select(run => run.TargetAccuracy[0]).Distinct());
        Assert.Equal(r.PretrainedTargetAccuracy, r.Runs[0].TargetAccuracy[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuningOptions { BatchSizes = [1] }.Validate());
    }
}
