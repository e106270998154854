using System.Diagnostics;
using System.Runtime.Intrinsics;
using BatchNormLab.Bench;
using BatchNormLab.Data;
using BatchNormLab.Tensors;
using TorchSharp;

// The speed benchmark: the library against its peers (TorchSharp, libtorch CPU, one thread; NumPy) on the
// paper's network (784-100-100-100-10, sigmoid, softmax cross-entropy, plain SGD) and Fashion-MNIST, and
// on notebook 06's CNN with spatial BN (against TorchSharp).
// Usage (from the repository): dotnet run -c Release --project bench/BatchNormLab.Bench [-- --quick]
// Not a speed run: [-- --cnn-accuracy ...] trains the BN CNN for epochs and reports test accuracy (CnnAccuracy.cs).
// Minutes long: [-- --comparison] times notebook 03's comparison with 3 seeds at full length (Comparison.cs).
var quick = args.Contains("--quick");
var reps = quick ? 3 : 7;
var secondsPerRun = quick ? 0.5 : 1.0;
const double learningRate = 0.1;

Console.WriteLine("BatchNormLab speed benchmark");
var cpu = CpuModel.Describe();
Console.WriteLine($"CPU: {cpu}");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, load average {LoadAverage()}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, float GEMM kernel: {Gemm.FloatKernelDescription}");
var data = FashionMnist.Load();
Console.WriteLine($"data: Fashion-MNIST from {Path.GetRelativePath(Environment.CurrentDirectory, data.Directory)} ({data.Train.Count:N0} train, {data.Test.Count:N0} test)");
if (args.Contains("--cnn-accuracy"))
{
    // Not a speed run: how far notebook 06's BN CNN gets in a long run (CnnAccuracy.cs).
    CnnAccuracy.Run(data, args);
    return;
}
if (args.Contains("--comparison"))
{
    Comparison.Run(data, LoadAverage);
    return;
}

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

// 2. Steps/s against the peers, interleaved in the same run, against the machine's ceiling.
Console.WriteLine();
var peak = PeakFlops.Measure();
Console.WriteLine($"peak: {peak.GigaFlops:F1} GFLOP/s single-core FP32 FMA ({peak.Description})");
var loader = LibTorchSharpLoader.Status; // before the first torch call
torch.set_num_threads(1);
torch.random.manual_seed(0);
Console.WriteLine($"peer 1: TorchSharp 0.107.0 on libtorch {torch.__version__} CPU, torch threads = {torch.get_num_threads()} (loader: {loader})");
var (python, numpyMissing) = NumPyPeer.FindPython();
Console.WriteLine(python is not null
    ? $"peer 2: the network by hand in NumPy (bench/numpy_peer.py) run by {python}, one BLAS thread"
    : $"peer 2: NumPy skipped: {numpyMissing}");
Console.WriteLine($"all train the same network from the same initial weights on the same Fashion-MNIST minibatches, plain SGD, lr {learningRate}");
Console.WriteLine($"steps/s = median of {reps} rounds of about {secondsPerRun:F1} s per contender (library, TorchSharp, NumPy in turn); ratio = library / peer, median of the per-round ratios (range in brackets);");
Console.WriteLine("cpu = the same from steps per CPU-second of each training thread (what time-slicing by other processes does not change)");
Console.WriteLine($"load average now: {LoadAverage()}");
var cases = new List<(string Name, int Batch, Throughput.Result R)>();
foreach (var batch in new[] { 60, 256 })
    foreach (var bn in new[] { false, true })
        cases.Add(((bn ? "BN" : "no BN") + ", batch " + batch, batch, Throughput.CompareMlp(data.Train, bn, batch, learningRate, reps, secondsPerRun, python)));
// Notebook 06's CNN with spatial BN, at the notebook's batch size (TorchSharp only: the NumPy peer has no convolutions).
var cnnOptions = new BatchNormLab.Experiments.CnnExperimentOptions();
const string cnnCase = "CNN, BN, batch 60";
cases.Add((cnnCase, cnnOptions.BatchSize, Throughput.CompareCnn(data.Train, cnnOptions.BatchSize, reps, secondsPerRun)));
string R(Throughput.Ratio? r) => r is null ? "" : $"{r.Median:F2} ({r.Min:F2}-{r.Max:F2}) {r.Cpu:F2}";
Console.WriteLine();
Console.WriteLine($"{"steps/s",-17} {"library",8} {"TorchSharp",10} {"ratio (min-max) cpu",-22} {"NumPy",8} {"ratio (min-max) cpu",-22}");
foreach (var (name, _, r) in cases)
    Console.WriteLine($"{name,-17} {r.Library.Wall,8:F0} {r.Torch.Wall,10:F0} {R(r.VsTorch),-22} {(r.NumPy is null ? "-" : r.NumPy.Wall.ToString("F0")),8} {R(r.VsNumPy),-22}");
if (cases[0].R.NumPyBanner is { } banner) Console.WriteLine($"NumPy peer: {banner}");

Console.WriteLine();
Console.WriteLine($"GFLOP/s (matrix products only) and fraction of the {peak.GigaFlops:F1} GFLOP/s peak; wall = from wall-clock steps/s, cpu = from steps per CPU-second");
Console.WriteLine($"{"case",-17} {"MFLOP/step",10} {"library wall",16} {"library cpu",16} {"TorchSharp cpu",16} {"NumPy cpu",16}");
foreach (var (name, batch, r) in cases)
{
    var flops = r.FlopsPerStep;
    string G(double stepsPerSecond) => double.IsNaN(stepsPerSecond) ? "" : $"{stepsPerSecond * flops / 1e9,5:F1} ({stepsPerSecond * flops / 1e9 / peak.GigaFlops,4:P0})";
    Console.WriteLine($"{name,-17} {flops / 1e6,10:F1} {G(r.Library.Wall),16} {G(r.Library.Cpu),16} {G(r.Torch.Cpu),16} {G(r.NumPy?.Cpu ?? double.NaN),16}");
}

Console.WriteLine();
Console.WriteLine($"loss after {Throughput.CheckSteps} steps (same weights, same batches): library / TorchSharp / NumPy");
foreach (var (name, _, r) in cases)
{
    var l = r.Library.Loss;
    string Agree(float x) => float.IsNaN(x) ? "" : Math.Abs(x - l) <= 1e-3f * Math.Max(1f, Math.Abs(l)) ? "agree" : "DIFFER";
    Console.WriteLine($"{name,-17} {l:F5} / {r.Torch.Loss:F5} / {(r.NumPy is null ? "-" : r.NumPy.Loss.ToString("F5"))}   TorchSharp {Agree(r.Torch.Loss)}, NumPy {Agree(r.NumPy?.Loss ?? float.NaN)}");
}
Console.WriteLine($"peak memory (whole process, libtorch loaded): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");
Console.WriteLine($"load average now: {LoadAverage()}");
Console.WriteLine($"CPU: {cpu}");
var cnn = cases.Single(c => c.Name == cnnCase).R;
Console.WriteLine($"CNN of notebook 06 (conv {string.Join("-", cnnOptions.Network.Channels)} channels, spatial BN, batch {cnnOptions.BatchSize}): library {cnn.Library.Wall:F0} steps/s, TorchSharp {cnn.Torch.Wall:F0} steps/s, " +
                  $"ratio {cnn.VsTorch.Median:F2} ({cnn.VsTorch.Min:F2}-{cnn.VsTorch.Max:F2}), cpu ratio {cnn.VsTorch.Cpu:F2}");
Console.WriteLine($"ratio (BN, batch 256): {cases.Single(c => c.Name == "BN, batch 256").R.VsTorch.Median:F2}");
Console.WriteLine($"ratio (BN, batch 60): {cases.Single(c => c.Name == "BN, batch 60").R.VsTorch.Median:F2}");

static string LoadAverage()
{
    try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "n/a"; }
}
