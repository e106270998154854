using System.Diagnostics;
using BatchNormLab.Data;

namespace BatchNormLab.Bench;

/// <summary>
/// Steps per second of the library and the peer on one case. Runs alternate (library, peer, library, …)
/// so both see the same machine load; each side reports the median of its runs, and the ratio is the
/// median of the per-pair ratios.
/// </summary>
internal static class Throughput
{
    public sealed record Result(double Library, double Peer, double Ratio, double Min, double Max, double CpuRatio, float LibraryLoss, float PeerLoss);

    public static Result Compare(Dataset train, bool batchNorm, int batch, double learningRate, int reps, double secondsPerRun)
    {
        var lib = new LibraryRun(train, batchNorm, batch, learningRate, seed: 1);
        using var peer = new TorchNet(train, lib.Net, batchNorm, batch, learningRate, seed: 1);
        // Same weights, same batches: after the same steps both must have the same loss (up to float rounding).
        const int checkSteps = 20;
        lib.Train(checkSteps);
        peer.Train(checkSteps);
        var (libLoss, peerLoss) = (lib.LastLoss, peer.LastLoss);
        // Warm up (JIT tiers, allocators, caches) and size the runs to about secondsPerRun each.
        var libSteps = Math.Max(20, (int)(Rate(lib.Train, 0.5) * secondsPerRun));
        var peerSteps = Math.Max(20, (int)(Rate(peer.Train, 0.5) * secondsPerRun));
        var l = new List<double>();
        var p = new List<double>();
        var q = new List<double>();
        var c = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var (a, ca) = Timed(lib.Train, libSteps);
            var (b, cb) = Timed(peer.Train, peerSteps);
            l.Add(a);
            p.Add(b);
            q.Add(a / b);
            c.Add(ca / cb);
        }
        return new Result(Median(l), Median(p), Median(q), q.Min(), q.Max(), Median(c), libLoss, peerLoss);
    }

    /// <summary>Steps per second over about <paramref name="seconds"/> of chunks of steps.</summary>
    private static double Rate(Action<int> train, double seconds)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        var chunk = 10;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            train(chunk);
            n += chunk;
            chunk = Math.Min(chunk * 2, 200);
        }
        return n / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Steps per wall-clock second and per CPU-second of this thread.</summary>
    private static (double Wall, double Cpu) Timed(Action<int> train, int steps)
    {
        var cpu = CpuClock.ThreadSeconds();
        var sw = Stopwatch.StartNew();
        train(steps);
        var wall = sw.Elapsed.TotalSeconds;
        cpu = CpuClock.ThreadSeconds() - cpu;
        return (steps / wall, steps / cpu);
    }

    public static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
