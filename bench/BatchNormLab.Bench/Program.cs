using System.Diagnostics;
using System.Runtime.Intrinsics;
using BatchNormLab.Bench;
using BatchNormLab.Data;
using BatchNormLab.Tensors;
using TorchSharp;

// The speed benchmark: the library against a peer (TorchSharp, libtorch CPU, one thread) on the
// paper's network (784-100-100-100-10, sigmoid, softmax cross-entropy, plain SGD) and Fashion-MNIST.
// Usage (from the repository): dotnet run -c Release --project bench/BatchNormLab.Bench [-- --quick]
var quick = args.Contains("--quick");
var reps = quick ? 3 : 7;
var secondsPerRun = quick ? 0.5 : 1.0;
const double learningRate = 0.1;

Console.WriteLine("BatchNormLab speed benchmark");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, load average {LoadAverage()}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, float GEMM kernel: {Gemm.FloatKernelDescription}");
var data = FashionMnist.Load();
Console.WriteLine($"data: Fashion-MNIST from {Path.GetRelativePath(Environment.CurrentDirectory, data.Directory)} ({data.Train.Count:N0} train, {data.Test.Count:N0} test)");

// 1. The full Figure 1 pair, library alone (libtorch not loaded yet, so the peak memory is the library's).
var figureSteps = quick ? 5_000 : 50_000;
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var fig = Figure1.Run(data, figureSteps);
var options = fig.Options.Training();
var figureCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
Console.WriteLine();
Console.WriteLine($"Figure 1 pair (Figure1Experiment, default options): 2 x {figureSteps:N0} steps of batch 60, lr {options.LearningRate}, test evaluation every {options.EvaluateEvery} steps, " +
                  $"probes every {options.Probes?.Every} steps ({fig.Plain.ProbeSteps.Length} per run), {options.Probes?.HistogramSteps.Length ?? 0} histogram snapshots");
Console.WriteLine($"  wall time of the pair, run side by side (one thread per network): {fig.WallSeconds:F1} s");
Console.WriteLine($"  one after the other it would take {(fig.Plain.Elapsed + fig.WithBatchNorm.Elapsed).TotalSeconds:F1} s; CPU time of the process: {figureCpu:F1} s; load average {LoadAverage()}");
foreach (var (name, h) in new[] { ("without BN", fig.Plain), ("with BN", fig.WithBatchNorm) })
{
    var train = Figure1.TrainingSeconds(h);
    Console.WriteLine($"  {name,-10}: {h.Elapsed.TotalSeconds:F1} s = training {train:F1} s + evaluations {h.EvaluationTime.TotalSeconds:F1} s + probes {h.ProbeTime.TotalSeconds:F2} s; " +
                      $"final test accuracy {h.TestAccuracy[^1]:P1}");
}
var probeSeconds = (fig.Plain.ProbeTime + fig.WithBatchNorm.ProbeTime).TotalSeconds;
var trainingSeconds = Figure1.TrainingSeconds(fig.Plain) + Figure1.TrainingSeconds(fig.WithBatchNorm);
Console.WriteLine($"  probes' overhead: {probeSeconds:F2} s = {100 * probeSeconds / trainingSeconds:F1} % of training time");
Console.WriteLine($"  peak memory (library only): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");

// 2. Steps/s against the peer, interleaved in the same run.
Console.WriteLine();
var loader = LibTorchSharpLoader.Status; // before the first torch call
torch.set_num_threads(1);
torch.random.manual_seed(0);
Console.WriteLine($"peer: TorchSharp 0.107.0 on libtorch {torch.__version__} CPU, torch threads = {torch.get_num_threads()} (loader: {loader})");
Console.WriteLine($"both train the same network from the same initial weights on the same Fashion-MNIST minibatches, plain SGD, lr {learningRate}");
Console.WriteLine($"steps/s = median of {reps} alternating runs of about {secondsPerRun:F1} s each; ratio = median of the per-pair ratios (range in brackets);");
Console.WriteLine("cpu ratio = the same from steps per CPU-second of the training thread (what time-slicing by other processes does not change)");
Console.WriteLine($"load average now: {LoadAverage()}");
Console.WriteLine($"{"case",-17} {"library",8} {"peer",8} {"ratio",6} {"(min-max)",13} {"cpu ratio",9}   loss after 20 steps: library / peer");
var ratios = new Dictionary<(bool, int), double>();
foreach (var batch in new[] { 60, 256 })
    foreach (var bn in new[] { false, true })
    {
        var r = Throughput.Compare(data.Train, bn, batch, learningRate, reps, secondsPerRun);
        ratios[(bn, batch)] = r.Ratio;
        Console.WriteLine($"{(bn ? "BN" : "no BN") + ", batch " + batch,-17} {r.Library,8:F0} {r.Peer,8:F0} {r.Ratio,6:F2} {$"({r.Min:F2}-{r.Max:F2})",13} {r.CpuRatio,9:F2}   {r.LibraryLoss:F5} / {r.PeerLoss:F5}");
    }
Console.WriteLine($"peak memory (whole process, libtorch loaded): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");
Console.WriteLine($"load average now: {LoadAverage()}");
Console.WriteLine($"ratio (BN, batch 60): {ratios[(true, 60)]:F2}");

static string LoadAverage()
{
    try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "n/a"; }
}
