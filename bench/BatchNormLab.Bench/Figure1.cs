using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Bench;

/// <summary>
/// The paper's Figure 1 pair with the library's trainer: the network without and with BN, batch 60,
/// same seed (same initial weights and data order), test evaluations and probes of every hidden layer.
/// </summary>
internal static class Figure1
{
    public static TrainingOptions Options(int steps) => new()
    {
        Steps = steps,
        LearningRate = 0.1,
        EvaluateEvery = 500,           // 100 points on the accuracy curve, 10,000 test images each
        ProbeEvery = 100,              // 500 probes: percentiles 15/50/85, mean, std, saturation per layer
        TrackedUnits = [0, 1, 2],
        HistogramSteps = [0, steps / 10, steps / 2, steps - 1],
    };

    public sealed record Result(double WallSeconds, TrainingHistory Plain, TrainingHistory WithBatchNorm);

    public static Result Run(FashionMnistData data, int steps, int seed = 1)
    {
        var wall = Stopwatch.StartNew();
        TrainingHistory One(bool bn)
        {
            var options = bn ? new MlpOptions().WithBatchNorm() : new MlpOptions();
            var model = Mlp<float>.Create(options, seed);
            var batches = new MinibatchIterator(data.Train, 60, BatchOrder.Shuffled, seed);
            return Trainer.Train(model, batches, data.Test, Options(steps));
        }
        // The two networks are independent: one thread each, as on a 2-core machine a notebook would.
        // Each run is single-threaded and seeded, so its history is the same as when run alone.
        var plain = Task.Factory.StartNew(() => One(bn: false), TaskCreationOptions.LongRunning);
        var withBn = Task.Factory.StartNew(() => One(bn: true), TaskCreationOptions.LongRunning);
        Task.WaitAll(plain, withBn);
        return new Result(wall.Elapsed.TotalSeconds, plain.Result, withBn.Result);
    }

    /// <summary>Seconds of training proper: the run minus its evaluations and probes.</summary>
    public static double TrainingSeconds(TrainingHistory h) => (h.Elapsed - h.EvaluationTime - h.ProbeTime).TotalSeconds;
}
