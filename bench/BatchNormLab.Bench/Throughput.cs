using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Layers;
using BatchNormLab.Models;

namespace BatchNormLab.Bench;

/// <summary>
/// Steps per second of the library and its peers on one case. Runs alternate (library, TorchSharp,
/// NumPy, library, …) so all see the same machine load; each side reports the median of its runs, and a
/// ratio is the median of the per-round ratios.
/// </summary>
internal static class Throughput
{
    /// <summary>One contender: median steps/s by wall clock and by CPU time of its training thread, and its loss after the check steps.</summary>
    public sealed record Side(double Wall, double Cpu, float Loss);

    /// <summary>The library against one peer: median of the per-round ratios, their range, and the same from CPU time.</summary>
    public sealed record Ratio(double Median, double Min, double Max, double Cpu);

    /// <summary>One case: the contenders' steps/s and ratios, and the FLOPs of one step (<see cref="StepFlops"/>).</summary>
    public sealed record Result(Side Library, Side Torch, Ratio VsTorch, Side? NumPy, Ratio? VsNumPy, string? NumPyBanner, double FlopsPerStep);

    /// <summary>Steps whose loss the contenders must agree on: same weights, same batches, same arithmetic up to rounding.</summary>
    public const int CheckSteps = 20;

    /// <summary>The paper's MLP (784-100-100-100-10, sigmoid), with or without BN: library, TorchSharp and (if <paramref name="python"/>) NumPy.</summary>
    public static Result CompareMlp(Dataset train, bool batchNorm, int batch, double learningRate, int reps, double secondsPerRun, string? python)
    {
        var o = batchNorm ? new MlpOptions().WithBatchNorm() : new MlpOptions();
        var lib = new LibraryRun(train, Mlp<float>.Create(o, seed: 1), batch, learningRate, seed: 1);
        using var peer = new TorchNet(train, lib.Net, [train.Features], batch, learningRate, seed: 1);
        var weights = lib.Net.LayersOf<Dense<float>>().Select(d => d.Weights.Value).ToList();
        using var numpy = python is not null
            ? NumPyPeer.Start(python, train, o.Sizes, weights, batchNorm, batch, learningRate, o.BatchNormEps, o.BatchNormMomentum ?? 0.1, seed: 1)
            : null;
        return Compare(lib, peer, numpy, batch, reps, secondsPerRun);
    }

    /// <summary>
    /// Notebook 06's CNN with spatial BN (<see cref="CnnExperimentOptions"/>' network, seed and learning rate) at
    /// <paramref name="batch"/>: library and TorchSharp (the NumPy peer has no convolutions).
    /// </summary>
    public static Result CompareCnn(Dataset train, int batch, int reps, double secondsPerRun)
    {
        var o = new CnnExperimentOptions();
        var lib = new LibraryRun(train, CnnExperiment.CreateNetworks(o).With, batch, o.LearningRate, o.Seed);
        var shape = o.Network.Input;
        using var peer = new TorchNet(train, lib.Net, [shape.Channels, shape.Height, shape.Width], batch, o.LearningRate, o.Seed);
        return Compare(lib, peer, null, batch, reps, secondsPerRun);
    }

    private static Result Compare(LibraryRun lib, TorchNet peer, NumPyPeer? numpy, int batch, int reps, double secondsPerRun)
    {
        var flops = StepFlops.Of(lib.Net, batch);
        lib.Train(CheckSteps);
        peer.Train(CheckSteps);
        numpy?.Train(CheckSteps);
        var (libLoss, peerLoss, numpyLoss) = (lib.LastLoss, peer.LastLoss, numpy?.LastLoss ?? float.NaN);
        // Warm up (JIT tiers, allocators, caches) and size the runs to about secondsPerRun each.
        var libSteps = Math.Max(20, (int)(Rate(n => Timed(lib.Train, n), 0.5) * secondsPerRun));
        var peerSteps = Math.Max(20, (int)(Rate(n => Timed(peer.Train, n), 0.5) * secondsPerRun));
        var numpySteps = numpy is null ? 0 : Math.Max(10, (int)(Rate(numpy.Train, 0.5) * secondsPerRun));
        var rounds = new List<(double L, double Lc, double P, double Pc, double N, double Nc)>();
        for (var r = 0; r < reps; r++)
        {
            var (lw, lc) = Timed(lib.Train, libSteps);
            var (pw, pc) = Timed(peer.Train, peerSteps);
            var (nw, nc) = numpy is null ? (double.NaN, double.NaN) : numpy.Train(numpySteps);
            rounds.Add((libSteps / lw, libSteps / lc, peerSteps / pw, peerSteps / pc, numpySteps / nw, numpySteps / nc));
        }
        var library = new Side(Median(rounds.Select(x => x.L)), Median(rounds.Select(x => x.Lc)), libLoss);
        var torch = new Side(Median(rounds.Select(x => x.P)), Median(rounds.Select(x => x.Pc)), peerLoss);
        var vsTorch = RatioOf(rounds.Select(x => (x.L, x.P)).ToList(), rounds.Select(x => x.Lc / x.Pc));
        if (numpy is null) return new Result(library, torch, vsTorch, null, null, null, flops);
        var np = new Side(Median(rounds.Select(x => x.N)), Median(rounds.Select(x => x.Nc)), numpyLoss);
        var vsNumPy = RatioOf(rounds.Select(x => (x.L, x.N)).ToList(), rounds.Select(x => x.Lc / x.Nc));
        return new Result(library, torch, vsTorch, np, vsNumPy, numpy.Banner, flops);
    }

    private static Ratio RatioOf(List<(double Lib, double Peer)> wall, IEnumerable<double> cpu)
    {
        var q = wall.Select(x => x.Lib / x.Peer).ToList();
        return new Ratio(Median(q), q.Min(), q.Max(), Median(cpu));
    }

    /// <summary>Steps per second over about <paramref name="seconds"/> of chunks of steps.</summary>
    private static double Rate(Func<int, (double Wall, double Cpu)> train, double seconds)
    {
        var total = 0.0;
        long n = 0;
        var chunk = 10;
        while (total < seconds)
        {
            total += train(chunk).Wall;
            n += chunk;
            chunk = Math.Min(chunk * 2, 200);
        }
        return n / total;
    }

    /// <summary>Wall-clock and CPU seconds of this thread for <paramref name="steps"/> steps.</summary>
    private static (double Wall, double Cpu) Timed(Action<int> train, int steps)
    {
        var cpu = CpuClock.ThreadSeconds();
        var sw = Stopwatch.StartNew();
        train(steps);
        var wall = sw.Elapsed.TotalSeconds;
        return (wall, CpuClock.ThreadSeconds() - cpu);
    }

    public static double Median(IEnumerable<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
