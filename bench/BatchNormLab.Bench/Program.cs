using System.Diagnostics;
using System.Runtime.Intrinsics;
using BatchNormLab.Bench;
using BatchNormLab.Tensors;
using TorchSharp;

// The speed benchmark (issue "Speed"): the library against TorchSharp on the paper's network.
// Usage: dotnet run -c Release --project bench/BatchNormLab.Bench [-- --quick]
var quick = args.Contains("--quick");
var reps = quick ? 3 : 5;
var secondsPerRun = quick ? 0.5 : 1.0;
const double learningRate = 0.1;

Console.WriteLine("BatchNormLab speed benchmark");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, float GEMM kernel: {Gemm.FloatKernelDescription}");
var data = BenchData.Random(seed: 2015);
Console.WriteLine($"data: {data.Source}");

// 1. The full Figure 1 pair with the library alone (before libtorch is loaded, so peak memory is the library's).
var figure1Steps = quick ? 5000 : 50_000;
var fig = Figure1.Run(data, figure1Steps, learningRate);
Console.WriteLine();
Console.WriteLine($"Figure 1 pair (2 x {figure1Steps:N0} steps, batch 60, evaluation every {Figure1.EvaluateEvery} steps on {data.TestCount:N0} test images, probes every {Figure1.ProbeEvery} steps): {fig.WallSeconds:F1} s");
Console.WriteLine($"  without BN {fig.Seconds[0]:F1} s (test accuracy {fig.Accuracy[0]:P1}), with BN {fig.Seconds[1]:F1} s (test accuracy {fig.Accuracy[1]:P1})");
Console.WriteLine($"  probes: {fig.ProbeSeconds:F2} s = {100 * fig.ProbeSeconds / (fig.WallSeconds - fig.ProbeSeconds):F1} % of the rest of the run; evaluations: {fig.EvaluationSeconds:F2} s");
var libraryPeak = Process.GetCurrentProcess().PeakWorkingSet64;
Console.WriteLine($"  peak memory (library only, whole process so far): {libraryPeak / 1048576.0:F0} MB");

// 2. Steps/s against the peer, interleaved in the same run.
Console.WriteLine();
var loader = LibTorchSharpLoader.Status; // before the first torch call
Console.WriteLine($"peer: TorchSharp 0.107.0, libtorch {torch.__version__} CPU, torch threads = 1 (loader: {loader})");
torch.set_num_threads(1);
torch.random.manual_seed(0);
Console.WriteLine($"steps/s: medians of {reps} interleaved runs of about {secondsPerRun:F1} s each; ratio = median of the per-run ratios library/peer");
Console.WriteLine($"{"case",-18} {"library",10} {"peer",10} {"ratio",7}   final loss library / peer");
var ratios = new Dictionary<(bool, int), double>();
foreach (var batch in new[] { 60, 256 })
    foreach (var bn in new[] { false, true })
    {
        var r = Throughput.Compare(data, bn, batch, learningRate, reps, secondsPerRun);
        ratios[(bn, batch)] = r.Ratio;
        Console.WriteLine($"{(bn ? "BN" : "no BN") + ", batch " + batch,-18} {r.Library,10:F0} {r.Peer,10:F0} {r.Ratio,7:F2}   {r.LibraryLoss:F4} / {r.PeerLoss:F4}");
    }
Console.WriteLine($"peak memory (whole process, with libtorch loaded): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");
Console.WriteLine($"ratio (BN, batch 60): {ratios[(true, 60)]:F2}");
