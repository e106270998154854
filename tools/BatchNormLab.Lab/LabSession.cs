using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Training;

namespace BatchNormLab.Lab;

/// <summary>
/// The lab's training: the chosen networks trained side by side on the same batches, a few steps at a time, so
/// a browser can draw between the pieces. Every piece is one call of the library's <see cref="Trainer.Train"/>
/// (plain SGD keeps no state between calls, and the batch iterator continues where it stopped, so pieces of k
/// steps train exactly as one long run would). The last step of each piece is probed (sigmoid-input percentiles and a
/// histogram); the test set is evaluated every <see cref="EvaluationInterval"/> steps.
/// </summary>
public sealed class LabSession
{
    private readonly Dataset _test;
    private readonly Dataset _compare;
    private readonly Evaluator _evaluator = new();
    private long _trainingTicks;

    /// <summary>Builds the networks of <paramref name="settings"/> (check <see cref="LabSettings.Problem"/> first) and evaluates them untrained.</summary>
    public LabSession(LabSettings settings, Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (settings.Problem() is { } problem) throw new ArgumentException(problem, nameof(settings));
        Settings = settings;
        LearningRate = settings.LearningRate;
        _test = test;
        // The mode comparison's examples: whole batches of the training batch size (about 1,000 examples).
        var m = settings.BatchSize;
        _compare = test.Take(Math.Min(test.Count, Math.Max(1, 1000 / m) * m));
        var networks = new List<LabNetwork>();
        if (settings.Plain) networks.Add(new LabNetwork("without BN", batchNorm: false, settings, train));
        if (settings.BatchNorm) networks.Add(new LabNetwork("with BN", batchNorm: true, settings, train));
        Networks = networks;
        foreach (var n in Networks) n.Evaluate(0, _evaluator, _test, _compare, m);
    }

    /// <summary>The settings the networks were built with.</summary>
    public LabSettings Settings { get; }

    /// <summary>η for the next steps (the reader may change it while training).</summary>
    public double LearningRate { get; set; }

    /// <summary>The networks, without BN first.</summary>
    public IReadOnlyList<LabNetwork> Networks { get; }

    /// <summary>Updates done (the same for every network still training).</summary>
    public int Step { get; private set; }

    /// <summary>Network-steps done (a pair's step counts twice), for speed.</summary>
    public long NetworkSteps { get; private set; }

    /// <summary>Time inside the library's trainer only (no evaluations, no drawing).</summary>
    public TimeSpan TrainingTime => Stopwatch.GetElapsedTime(0, _trainingTicks);

    /// <summary>Network-steps per second of training time.</summary>
    public double StepsPerSecond => _trainingTicks == 0 ? double.NaN : NetworkSteps / TrainingTime.TotalSeconds;

    /// <summary>Whether some network can still train.</summary>
    public bool CanTrain => Networks.Any(n => n.DivergedAt is null);

    /// <summary>Test evaluations every this many steps: often early, when things change fast.</summary>
    public int EvaluationInterval => Step < 1_000 ? 100 : 250;

    /// <summary>
    /// Trains every network that has not diverged by up to <paramref name="maxSteps"/> steps, stopping early at the
    /// next evaluation step (then evaluates). Returns the steps done.
    /// </summary>
    public int Advance(int maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        if (!CanTrain) return 0;
        var interval = EvaluationInterval;
        var next = (Step / interval + 1) * interval;
        var k = Math.Min(maxSteps, next - Step);
        var options = new TrainingOptions
        {
            Steps = k,
            LearningRate = LearningRate,
            Probes = new ProbeOptions { Steps = [k - 1], HistogramSteps = [k - 1], HistogramBins = 48, HistogramMin = -8, HistogramMax = 8 },
        };
        foreach (var n in Networks)
        {
            if (n.DivergedAt is not null) continue;
            var t0 = Stopwatch.GetTimestamp();
            var history = Trainer.Train(n.Model, n.Batches, test: null, options);
            _trainingTicks += Stopwatch.GetTimestamp() - t0;
            NetworkSteps += history.Steps;
            n.Record(Step, history);
        }
        Step += k;
        if (Step == next)
            foreach (var n in Networks)
                if (n.DivergedAt is null) n.Evaluate(Step, _evaluator, _test, _compare, Settings.BatchSize);
        return k;
    }
}
