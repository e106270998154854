using BatchNormLab.Training;
using BatchNormLab.Experiments;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;

namespace BatchNormLab.Experiments.Tests;

public class TwoComputationPathsTests
{
    [Fact]
    public void TrainingModeOutputDependsOnTheBatchAndBatchOneIsAClearError()
    {
        var options = PerilsTestSetup.Options with { Steps = 400 };
        var mlp = TwoComputationPaths.TrainReference(PerilsTestSetup.Train, options);
        var test = PerilsTestSetup.Test;
        var before = mlp.LayersOf<BatchNorm<float>>().Select(bn => bn.RunningMean.ToArray()).ToList();

        // Somewhere among the first images, the same image changes its predicted class with its batch.
        var same = Enumerable.Range(0, 20).Select(i => TwoComputationPaths.SameImageInDifferentBatches(mlp, test, i, batches: 50, batchSize: 8)).ToList();
        Assert.Contains(same, s => s.DistinctPredictions > 1);
        Assert.True(same.Max(s => s.ProbabilityRange) > 0.3, $"largest range {same.Max(s => s.ProbabilityRange)}");

        var sizes = TwoComputationPaths.AccuracyVsTestBatchSize(mlp, test, [1, 2, 500], count: 2000);
        Assert.True(double.IsNaN(sizes.Runs[0].Accuracy));
        Assert.Contains("more than 1 value per feature", sizes.Runs[0].Error);
        Assert.True(sizes.Runs[1].Accuracy < sizes.Runs[2].Accuracy - 0.1, string.Join("\n", sizes.Runs));
        Assert.True(Math.Abs(sizes.Runs[2].Accuracy - sizes.InferenceAccuracy) < 0.05, $"{sizes.Runs[2]} vs inference {sizes.InferenceAccuracy}");

        // Measuring in training mode left the running estimates as they were.
        var after = mlp.LayersOf<BatchNorm<float>>().Select(bn => bn.RunningMean.ToArray()).ToList();
        for (var l = 0; l < before.Count; l++) Assert.Equal(before[l], after[l]);
    }

    [Fact]
    public void SmallMomentumLagsEarlyAndRecalibrationCatchesUp()
    {
        var result = TwoComputationPaths.MomentumCatchUp(PerilsTestSetup.Train, PerilsTestSetup.Test, PerilsTestSetup.Options with { Steps = 300, EvaluationExamples = 1000 },
            [0.1, 0.001], measureEvery: 100, recalibrationExamples: 3000);
        var fast = result.Curves[0];
        var slow = result.Curves[1];
        var table = string.Join("\n", result.Curves.Select(c => $"{c.Momentum}: {string.Join(", ", c.Points)} recal {c.RecalibratedInferenceAccuracy}"));
        Assert.True(slow.Points[0].InferenceAccuracy < fast.Points[0].InferenceAccuracy - 0.3, table);
        Assert.True(Math.Abs(fast.FinalGap) < 0.05, table);
        Assert.True(slow.FinalGap > 0.2, table);
        Assert.True(slow.RecalibratedInferenceAccuracy > slow.Points[^1].InferenceAccuracy + 0.2, table);
        Assert.True(slow.RecalibratedInferenceAccuracy > slow.Points[^1].TrainingModeAccuracy - 0.05, table);
    }

    [Fact]
    public void RecalibrationSetsThePopulationStatisticsOfEachLayersInput()
    {
        var options = PerilsTestSetup.Options with { Sizes = [784, 16, 12, 10], Steps = 20 };
        var mlp = TwoComputationPaths.TrainReference(PerilsTestSetup.Train, options);
        var data = PerilsTestSetup.Test.Take(300);
        Assert.Equal(2, Recalibration.Recompute(mlp, data));
        Assert.Equal(Mode.Inference, mlp.Mode);
        // Layer 1's input is x W: compute its mean and unbiased variance directly, in double.
        var bn1 = mlp.LayersOf<BatchNorm<float>>().First();
        var w = mlp.LayersOf<Dense<float>>()[0].Weights.Value;
        for (var j = 0; j < bn1.Features; j++)
        {
            var u = Enumerable.Range(0, data.Count).Select(i => Enumerable.Range(0, 784).Sum(k => (double)data.Images[i, k] * w[k, j])).ToArray();
            var mean = u.Average();
            var variance = u.Sum(v => (v - mean) * (v - mean)) / (u.Length - 1);
            Assert.Equal(mean, bn1.RunningMean[j], 1e-4 * (1 + Math.Abs(mean)));
            Assert.Equal(variance, bn1.RunningVariance[j], 1e-4 * (1 + variance));
        }
        // Layer 2's estimates: a training-mode pass over the same 300 examples, with layer 1 already recalibrated, has the same batch mean.
        var bn2 = mlp.LayersOf<BatchNorm<float>>().Last();
        var expected = bn2.RunningMean.ToArray();
        mlp.Mode = Mode.Inference;
        var h = data.Images;
        foreach (var layer in mlp.Layers.TakeWhile(l => !ReferenceEquals(l, bn2))) h = layer.Forward(h);
        bn2.Mode = Mode.Training;
        bn2.Forward(h);
        for (var j = 0; j < bn2.Features; j++) Assert.Equal(expected[j], bn2.BatchMean[j], 1e-4);
    }
}
