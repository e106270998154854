using System.Diagnostics;
using BatchNormLab.Activations;

namespace BatchNormLab.Bench;

/// <summary>
/// The paper's Figure 1 pair: the network without and with BN, batch 60, with periodic test
/// evaluations and probes of every hidden layer's sigmoid input (percentiles 15/50/85, mean,
/// standard deviation, saturated fraction).
/// </summary>
internal static class Figure1
{
    public const int EvaluateEvery = 500;
    public const int ProbeEvery = 100;

    public sealed record Result(double WallSeconds, double[] Seconds, double[] Accuracy, double ProbeSeconds, double EvaluationSeconds);

    public static Result Run(BenchData data, int steps, double learningRate)
    {
        var seconds = new double[2];
        var accuracy = new double[2];
        var probe = new Stopwatch();
        var eval = new Stopwatch();
        var wall = Stopwatch.StartNew();
        for (var run = 0; run < 2; run++)
        {
            var sw = Stopwatch.StartNew();
            var net = new LibraryNet(data, batchNorm: run == 1, batch: 60, learningRate, seed: 1);
            var sink = 0.0;
            for (var t = 1; t <= steps; t++)
            {
                net.Step();
                if (t % ProbeEvery == 0)
                {
                    probe.Start();
                    foreach (var h in net.Net.Hidden) sink += Probe(h.Activation.LastInput!.Data);
                    probe.Stop();
                }
                if (t % EvaluateEvery == 0 || t == steps)
                {
                    eval.Start();
                    accuracy[run] = net.TestAccuracy();
                    eval.Stop();
                }
            }
            seconds[run] = sw.Elapsed.TotalSeconds;
            GC.KeepAlive(sink);
        }
        return new Result(wall.Elapsed.TotalSeconds, seconds, accuracy, probe.Elapsed.TotalSeconds, eval.Elapsed.TotalSeconds);
    }

    private static double Probe(float[] inputs)
    {
        var v = (float[])inputs.Clone();
        Array.Sort(v);
        double P(double q) => v[(int)Math.Round((v.Length - 1) * q / 100)];
        double sum = 0, sq = 0;
        var saturated = 0;
        var limit = ActivationMath.SaturationInput(Activation.Sigmoid);
        foreach (var x in v)
        {
            sum += x;
            sq += (double)x * x;
            if (Math.Abs(x) > limit) saturated++;
        }
        return P(15) + P(50) + P(85) + sum + sq + saturated;
    }
}
