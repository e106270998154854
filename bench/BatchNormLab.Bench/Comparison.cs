using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Experiments;

namespace BatchNormLab.Bench;

/// <summary>
/// Times notebook 03's fair comparison at the size issue 15 sets a target for: <see cref="Figure1Comparison"/> with
/// its default options (3 seeds of the pair at the full 50,000 steps, rate selection, each network at its own best
/// rate), on all cores the run queue uses. Not part of the default bench: it takes minutes.
/// </summary>
internal static class Comparison
{
    public static void Run(FashionMnistData data, Func<string> loadAverage)
    {
        var options = new Figure1ComparisonOptions();
        var selectionSteps = 2L * options.Rates.Length * options.SelectionSteps;
        var sharedSteps = 2L * options.Seeds.Length * options.Baseline.Steps;
        Console.WriteLine();
        Console.WriteLine($"notebook 03's comparison (Figure1Comparison, default options): seeds {string.Join(", ", options.Seeds)} at {options.Baseline.Steps:N0} steps, " +
                          $"rates {string.Join(", ", options.Rates)} for {options.SelectionSteps:N0} selection steps; load average {loadAverage()}");
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var r = Figure1Comparison.Run(options, data.Train, data.Test);
        var seconds = wall.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var ownSteps = (r.BestRateWithout != options.Baseline.LearningRate ? 1 : 0) + (r.BestRateWith != options.Baseline.LearningRate ? 1 : 0);
        var total = selectionSteps + sharedSteps + ownSteps * (long)options.Baseline.Steps;
        Console.WriteLine($"  wall time {seconds:F1} s on {Environment.ProcessorCount} logical cores; CPU time {cpu:F1} s; {total:N0} training steps " +
                          $"({selectionSteps:N0} selection, {sharedSteps:N0} shared rate, {ownSteps} own-rate runs of {options.Baseline.Steps:N0}); load average {loadAverage()}");
        Console.WriteLine($"  best rates: without BN {r.BestRateWithout}, with BN {r.BestRateWith}; final test accuracy at η = {options.Baseline.LearningRate}, by seed: " +
                          $"without BN {string.Join(" / ", r.SharedWithout.Select(x => x.Final.TestAccuracy.ToString("P1")))}, with BN {string.Join(" / ", r.SharedWith.Select(x => x.Final.TestAccuracy.ToString("P1")))}");
    }
}
