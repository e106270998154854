using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Training;

namespace BatchNormLab.Bench;

/// <summary>
/// The paper's Figure 1 pair exactly as the notebooks run it: <see cref="Figure1Experiment"/> with its
/// default options (the two networks side by side, one thread each; evaluations, probes, histograms).
/// </summary>
internal static class Figure1
{
    public sealed record Result(double WallSeconds, Figure1Options Options, TrainingHistory Plain, TrainingHistory WithBatchNorm);

    public static Result Run(FashionMnistData data, int steps)
    {
        var options = new Figure1Options { Steps = steps };
        var wall = Stopwatch.StartNew();
        var r = Figure1Experiment.Run(options, data.Train, data.Test);
        return new Result(wall.Elapsed.TotalSeconds, options, r.WithoutBatchNorm, r.WithBatchNorm);
    }

    /// <summary>Seconds of training proper: the run minus its evaluations and probes.</summary>
    public static double TrainingSeconds(TrainingHistory h) => (h.Elapsed - h.EvaluationTime - h.ProbeTime).TotalSeconds;
}
