using BatchNormLab.Normalization;
using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

public class TrainerTests
{
    private static readonly MlpOptions Net = new() { Sizes = [8, 16, 16, 4], InitScale = 0.5 };
    private static readonly Dataset Train = SyntheticData.GaussianBlobs(4, 8, 60, seed: 1, separation: 1.2);
    private static readonly Dataset Test = SyntheticData.GaussianBlobs(4, 8, 60, seed: 1, separation: 1.2).Subset(Enumerable.Range(0, 120).ToArray());

    private static TrainingHistory Run(int modelSeed, int dataSeed, MlpOptions? net = null, TrainingOptions? options = null) =>
        Trainer.Train(Mlp<float>.Create(net ?? Net.WithBatchNorm(), modelSeed), new MinibatchIterator(Train, 16, seed: dataSeed), Test,
            options ?? new TrainingOptions { Steps = 120, LearningRate = 0.5, EvaluateEvery = 30, EvaluateAtStart = true, Probes = new() { Every = 10, HistogramSteps = [0, 60] } });

    [Fact]
    public void Same_seeds_give_a_bit_identical_history()
    {
        var a = Run(1, 2);
        var b = Run(1, 2);
        Assert.Equal(a.StepLoss, b.StepLoss);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        for (var l = 0; l < a.Layers.Count; l++)
        {
            Assert.Equal(a.Layers[l].Pooled.Percentiles, b.Layers[l].Pooled.Percentiles);
            Assert.Equal(a.Layers[l].Pooled.StandardDeviation, b.Layers[l].Pooled.StandardDeviation);
            Assert.Equal(a.Layers[l].Unit(0).Mean, b.Layers[l].Unit(0).Mean);
        }
        Assert.Equal(a.Histograms.SelectMany(h => h.Counts), b.Histograms.SelectMany(h => h.Counts));
    }

    [Fact]
    public void Another_data_seed_or_model_seed_changes_the_history()
    {
        var a = Run(1, 2);
        Assert.NotEqual(a.StepLoss, Run(1, 3).StepLoss);
        Assert.NotEqual(a.StepLoss, Run(2, 2).StepLoss);
    }

    [Fact]
    public void Probes_and_evaluations_do_not_change_the_training_trajectory()
    {
        var a = Mlp<float>.Create(Net.WithBatchNorm(), 1);
        var b = Mlp<float>.Create(Net.WithBatchNorm(), 1);
        var quiet = Trainer.Train(a, new MinibatchIterator(Train, 16, seed: 2), null, new TrainingOptions { Steps = 90, LearningRate = 0.5 });
        var watched = Trainer.Train(b, new MinibatchIterator(Train, 16, seed: 2), Test, new TrainingOptions
        {
            Steps = 90, LearningRate = 0.5, Probes = new() { Every = 1, HistogramSteps = [3, 50] }, EvaluateEvery = 7,
            EvaluationMode = BatchNormLab.Layers.Mode.Training, EvaluationBatchSize = 16,
        });
        Assert.Equal(quiet.StepLoss, watched.StepLoss);
        for (var i = 0; i < a.Parameters.Count; i++) Assert.Equal(a.Parameters[i].Value.Data, b.Parameters[i].Value.Data);
        Assert.Equal(a.LayersOf<BatchNorm<float>>().Last().RunningVariance, b.LayersOf<BatchNorm<float>>().Last().RunningVariance);
    }

    [Fact]
    public void Evaluations_follow_the_schedule_and_average_the_interval()
    {
        var h = Run(1, 2);
        Assert.Equal([0, 30, 60, 90, 120], h.EvaluationSteps);
        Assert.True(double.IsNaN(h.TrainLoss[0]));
        for (var k = 1; k < h.EvaluationSteps.Length; k++)
        {
            var (from, to) = (h.EvaluationSteps[k - 1], h.EvaluationSteps[k]);
            Assert.Equal(h.StepLoss[from..to].Average(v => (double)v), h.TrainLoss[k], 10);
        }
        Assert.Equal(120, h.Steps);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 10), h.ProbeSteps);
        Assert.True(h.TestAccuracy[^1] > h.TestAccuracy[0] + 0.2, $"learns: {h.TestAccuracy[0]:F3} -> {h.TestAccuracy[^1]:F3}");
        Assert.True(h.TrainLoss[^1] < h.TrainLoss[1], "training loss falls");
    }

    [Fact]
    public void Test_evaluation_equals_the_evaluator_on_the_final_model()
    {
        var model = Mlp<float>.Create(Net.WithBatchNorm(), 5);
        var h = Trainer.Train(model, new MinibatchIterator(Train, 16, seed: 1), Test,
            new TrainingOptions { Steps = 40, LearningRate = 0.5, EvaluationMode = BatchNormLab.Layers.Mode.Training, EvaluationBatchSize = 24 });
        var e = Evaluator.Evaluate(model, Test, BatchNormLab.Layers.Mode.Training, 24);
        Assert.Equal(e.Accuracy, h.FinalTestAccuracy);
        Assert.Equal(e.Loss, h.TestLoss[^1]);
        Assert.Equal(BatchNormLab.Layers.Mode.Training, h.EvaluationMode);
    }

    [Fact]
    public void Progress_is_reported_in_order_with_the_latest_numbers()
    {
        var reports = new List<TrainingProgress>();
        var h = Trainer.Train(Mlp<float>.Create(Net.WithBatchNorm(), 1), new MinibatchIterator(Train, 16, seed: 2), Test,
            new TrainingOptions { Steps = 100, LearningRate = 0.5, EvaluateEvery = 50, ProgressEvery = 20 }, new Collect(reports));
        Assert.Equal([20, 40, 50, 60, 80, 100], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(100, r.TotalSteps));
        Assert.True(double.IsNaN(reports[0].TestAccuracy));
        Assert.Equal(h.TestAccuracy[0], reports[2].TestAccuracy);
        Assert.Equal(h.FinalTestAccuracy, reports[^1].TestAccuracy);
        Assert.Equal(h.StepLoss[80..100].Average(v => (double)v), reports[^1].Loss, 10);
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public void A_diverging_run_stops_and_says_where()
    {
        // ReLU without normalisation and an absurd learning rate: the weights overflow within a few steps.
        var relu = Net with { Activation = BatchNormLab.Activations.Activation.ReLU };
        var h = Run(1, 2, net: relu, options: new TrainingOptions { Steps = 200, LearningRate = 1e8, EvaluateEvery = 10, Probes = new() { Every = 5 } });
        Assert.NotNull(h.DivergedAtStep);
        Assert.Equal(h.DivergedAtStep, h.Steps);
        Assert.True(h.Steps < 200);
        Assert.Equal(h.Steps, h.StepLoss.Length);
        Assert.All(h.Layers, l => Assert.Equal(h.ProbeSteps.Length, l.Pooled.Mean.Length));
        var problem = Assert.Single(h.Problems, p => p.Kind == TrainingProblemKind.Diverged);
        Assert.Equal(h.DivergedAtStep, problem.Step);
        Assert.Contains("1E+08", problem.Message);
        Assert.Contains("10 times smaller", problem.Message);

        var strict = new TrainingOptions { Steps = 200, LearningRate = 1e8, StopOnDivergence = false };
        Assert.ThrowsAny<Exception>(() => Run(1, 2, net: relu, options: strict));
    }

    [Fact]
    public void Bad_options_and_shapes_are_named()
    {
        var model = Mlp<float>.Create(Net, 1);
        var wrong = new MinibatchIterator(SyntheticData.GaussianBlobs(4, 5, 10, seed: 1), 8);
        Assert.Contains("5 features", Assert.Throws<ArgumentException>(() => Trainer.Train(model, wrong, null, new TrainingOptions())).Message);
        var it = new MinibatchIterator(Train, 8);
        Assert.Contains("outside 0..9", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Trainer.Train(model, it, null, new TrainingOptions { Steps = 10, Probes = new() { Steps = [10] } })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(model, it, null, new TrainingOptions { Steps = 0 }));
    }

    private sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
