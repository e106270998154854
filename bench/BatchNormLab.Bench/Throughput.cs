using System.Diagnostics;

namespace BatchNormLab.Bench;

/// <summary>Steps per second of the library and the peer on one case, measured alternately so both see the same machine load.</summary>
internal static class Throughput
{
    public sealed record Result(double Library, double Peer, double Ratio, float LibraryLoss, float PeerLoss);

    public static Result Compare(BenchData data, bool batchNorm, int batch, double learningRate, int reps, double secondsPerRun)
    {
        var lib = new LibraryNet(data, batchNorm, batch, learningRate, seed: 1);
        using var peer = new TorchNet(data, lib.Net, batchNorm, batch, learningRate, seed: 1);
        // Warm up (JIT tiers, allocator, caches) and calibrate how many steps make one run.
        var libRate = Rate(lib.Step, 0.4);
        var peerRate = Rate(() => peer.Step(), 0.4);
        var libSteps = Math.Max(20, (int)(libRate * secondsPerRun));
        var peerSteps = Math.Max(20, (int)(peerRate * secondsPerRun));
        var l = new List<double>();
        var p = new List<double>();
        var q = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var a = Timed(lib.Step, libSteps);
            var b = Timed(() => peer.Step(), peerSteps);
            l.Add(a);
            p.Add(b);
            q.Add(a / b);
        }
        peer.Step(readLoss: true);
        lib.Step();
        return new Result(Median(l), Median(p), Median(q), lib.LastLoss, peer.LastLoss);
    }

    private static double Rate(Action step, double seconds)
    {
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            step();
            n++;
        }
        return n / sw.Elapsed.TotalSeconds;
    }

    private static double Timed(Action step, int steps)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) step();
        return steps / sw.Elapsed.TotalSeconds;
    }

    public static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
