using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Bench;

/// <summary>
/// How far notebook 06's BN CNN gets with a long run (issue 13's target: 91 % test accuracy on Fashion-MNIST):
/// the BN network of <see cref="CnnExperiment"/> (same seed, same minibatches of 60), trained epoch by epoch
/// with plain SGD, η for the first epochs and η/10 for the last <c>--decay</c> ones, evaluated on all 10,000
/// test images after every epoch. Not part of the speed run: <c>-- --cnn-accuracy [--channels 8,16]
/// [--epochs 10] [--lr 0.1] [--decay 2]</c>.
/// </summary>
internal static class CnnAccuracy
{
    public static void Run(FashionMnistData data, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var defaults = new CnnExperimentOptions();
        var channels = Arg("--channels") is { } c ? c.Split(',').Select(int.Parse).ToArray() : defaults.Network.Channels;
        var epochs = Arg("--epochs") is { } e ? int.Parse(e) : 10;
        var lr = Arg("--lr") is { } l ? double.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : defaults.LearningRate;
        var decay = Arg("--decay") is { } d ? int.Parse(d) : 2;
        var options = defaults with { Network = defaults.Network with { Channels = channels } };
        var net = Cnn<float>.Create(options.Network.WithBatchNorm(), options.Seed);
        var batches = CnnExperiment.Batches(options, data.Train);
        var perEpoch = batches.BatchesPerEpoch;
        Console.WriteLine($"BN CNN, channels [{string.Join(", ", channels)}], {net.Parameters.Sum(p => p.Value.Data.Length):N0} parameters, batch {options.BatchSize}, seed {options.Seed}, plain SGD: " +
                          $"η = {lr} for epochs 1-{epochs - decay}, {lr / 10} for the last {decay}; {perEpoch:N0} steps per epoch; test = all {data.Test.Count:N0} test images, inference mode");
        var wall = Stopwatch.StartNew();
        var best = 0.0;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var eta = epoch <= epochs - decay ? lr : lr / 10;
            var h = Trainer.Train(net, batches, test: null, new TrainingOptions { Steps = perEpoch, LearningRate = eta });
            var ev = Evaluator.Evaluate(net, data.Test);
            best = Math.Max(best, ev.Accuracy);
            Console.WriteLine($"epoch {epoch,2} (step {epoch * perEpoch,6:N0}, η {eta}): test accuracy {ev.Accuracy:P2}, test loss {ev.Loss:F4}, " +
                              $"last step's loss {h.StepLoss[^1]:F4}; {wall.Elapsed.TotalSeconds:F0} s so far ({h.StepsPerSecond:F0} steps/s)");
        }
        Console.WriteLine($"best test accuracy {best:P2}; {wall.Elapsed.TotalSeconds:F0} s in all");
    }
}
