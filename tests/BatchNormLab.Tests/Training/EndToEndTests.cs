using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Training;

/// <summary>
/// The paper's Figure 1 network (784-100-100-100-10, sigmoid, small Gaussian weights s = 0.05,
/// softmax cross-entropy, plain SGD, minibatch 60, BN before every sigmoid) trained on Fashion-MNIST.
/// </summary>
public class EndToEndTests(ITestOutputHelper output)
{
    // Budget: 3,000 steps = 3 epochs. η = 3 (batch norm tolerates it), divided by 10 for the last
    // third, which settles the noisy end of constant-rate SGD.
    private const int Steps = 3_000;
    private const double LearningRate = 3.0;
    private const int DecayAt = 2_000;

    [Fact]
    public void Paper_network_with_batch_norm_reaches_85_percent_test_accuracy()
    {
        var data = FashionMnist.Load();
        var model = Mlp<float>.Create(new MlpOptions { InitScale = 0.05 }.WithBatchNorm(), seed: 1);
        var batches = new MinibatchIterator(data.Train, 60, BatchOrder.Shuffled, seed: 1);
        var options = new TrainingOptions { Steps = Steps, LearningRate = LearningRate, EvaluateEvery = 1_000 };

        var h = Trainer.Train(model, batches, data.Test, options, observers: [new StepDecay()]);

        output.WriteLine($"test accuracy at {string.Join(", ", h.EvaluationSteps)}: {string.Join(", ", h.TestAccuracy.Select(a => a.ToString("F4")))}");
        output.WriteLine($"elapsed {h.Elapsed.TotalSeconds:F2} s ({h.StepsPerSecond:F0} steps/s, evaluations {h.EvaluationTime.TotalSeconds:F2} s)");
        Assert.Null(h.DivergedAtStep);
        Assert.True(h.FinalTestAccuracy >= 0.85, $"BN network reached {h.FinalTestAccuracy:P2} after {Steps} steps; expected >= 85 %.");
        Assert.True(h.TrainLoss[^1] < h.TrainLoss[0], "training loss fell");
    }

    // A learning-rate schedule as a training observer: η / 10 from step DecayAt on.
    private sealed class StepDecay : ITrainingObserver
    {
        public void BeforeStep(int step, BatchNormLab.Optimizers.Sgd<float> sgd)
        {
            if (step == DecayAt) sgd.LearningRate = LearningRate / 10;
        }
    }
}
