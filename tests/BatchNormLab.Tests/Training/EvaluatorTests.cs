using BatchNormLab.Normalization;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

public class EvaluatorTests
{
    private static (Sequential<float> Model, Dataset Data) Trained()
    {
        var data = SyntheticData.GaussianBlobs(3, 5, 70, seed: 4, separation: 1.5);
        var model = Mlp<float>.Create(new MlpOptions { Sizes = [5, 16, 16, 3] }.WithBatchNorm(), seed: 3);
        Trainer.Train(model, new MinibatchIterator(data, 15, seed: 1), null, new TrainingOptions { Steps = 60, LearningRate = 0.5 });
        return (model, data);
    }

    [Fact]
    public void Inference_evaluation_equals_one_whole_batch_pass_whatever_the_batch_size()
    {
        var (model, data) = Trained();
        model.Mode = Mode.Inference;
        var logits = model.Forward(data.Images).Clone();
        var loss = new SoftmaxCrossEntropy<float>().Forward(logits, data.Labels);
        var correct = Enumerable.Range(0, data.Count).Count(i =>
        {
            var row = logits.Row(i).ToArray();
            return Array.IndexOf(row, row.Max()) == data.Labels[i];
        });
        model.Mode = Mode.Training;

        foreach (var b in new[] { 1, 7, 1000 })
        {
            var e = Evaluator.Evaluate(model, data, Mode.Inference, b);
            Assert.Equal((double)correct / data.Count, e.Accuracy);
            Assert.Equal(loss, e.Loss, 5);
            Assert.Equal(data.Count, e.Count);
        }
        Assert.InRange((double)correct / data.Count, 0.5, 1.0); // trained, so the check is not on a trivial model
        Assert.Equal(Mode.Training, model.Mode);
    }

    [Fact]
    public void Training_mode_evaluation_depends_on_the_batch_and_leaves_the_model_unchanged()
    {
        var (model, data) = Trained();
        var bn = model.LayersOf<BatchNorm<float>>().First();
        var mean = (float[])bn.RunningMean.Clone();
        var variance = (float[])bn.RunningVariance.Clone();
        var tracked = bn.BatchesTracked;

        var small = Evaluator.Evaluate(model, data, Mode.Training, 2);
        var large = Evaluator.Evaluate(model, data, Mode.Training, 210);
        Assert.NotEqual(small.Loss, large.Loss);
        Assert.Equal(mean, bn.RunningMean);
        Assert.Equal(variance, bn.RunningVariance);
        Assert.Equal(tracked, bn.BatchesTracked);
        Assert.Equal(Mode.Training, model.Mode);
    }

    [Fact]
    public void Training_mode_with_a_single_example_left_over_is_refused_clearly()
    {
        var (model, data) = Trained(); // 210 examples
        var e = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, data, Mode.Training, 209));
        Assert.Contains("batch of 1", e.Message);
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, data, Mode.Training, 1));
    }
}
