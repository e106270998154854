using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Trains the networks of a comparison (without and with BN, say) on one thread each, or one after the other.
/// The results are bit-identical either way: each network has its own weights, batch source and buffers, and
/// the data sets are only read. Progress reports reach the caller on the calling thread, one at a time, with the steps
/// of all runs added up.
/// </summary>
internal static class SideBySide
{
    /// <summary>One run: a model, its batches, and observers for its steps (or null).</summary>
    public sealed record Run(string Label, Sequential<float> Model, IBatchSource Batches, IReadOnlyList<ITrainingObserver>? Observers = null);

    /// <summary>Trains every run with <paramref name="options"/>, evaluating on <paramref name="test"/>; returns the histories in order.</summary>
    public static TrainingHistory[] Train(IReadOnlyList<Run> runs, Dataset? test, TrainingOptions options, bool parallel,
        long stepsBefore, long stepsTotal, IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        var histories = new TrainingHistory[runs.Count];
        if (!parallel)
        {
            for (var i = 0; i < runs.Count; i++)
                histories[i] = Trainer.Train(runs[i].Model, runs[i].Batches, test, options,
                    ExperimentProgress.Of(progress, runs[i].Label, stepsBefore + (long)i * options.Steps, stepsTotal), cancellationToken, runs[i].Observers);
            return histories;
        }
        // One thread per network. Their reports are queued and handed to the caller's IProgress on the calling
        // thread, one at a time with the steps of all runs added up: a notebook's display belongs to the cell's thread.
        using var reports = new System.Collections.Concurrent.BlockingCollection<ExperimentProgress>();
        var together = new Progress(progress is null ? null : reports, runs.Select(r => r.Label).ToArray(), stepsBefore, stepsTotal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            var index = i;
            tasks[i] = Task.Factory.StartNew(() =>
            {
                try
                {
                    var r = runs[index];
                    histories[index] = Trainer.Train(r.Model, r.Batches, test, options, together.For(index), stop.Token, r.Observers);
                }
                catch
                {
                    stop.Cancel(); // one run failed: stop the others rather than wait for them
                    throw;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        var all = Task.WhenAll(tasks).ContinueWith(_ => reports.CompleteAdding(), TaskScheduler.Default);
        foreach (var report in reports.GetConsumingEnumerable()) progress!.Report(report);
        all.Wait();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        return histories;
    }

    private sealed class Progress(System.Collections.Concurrent.BlockingCollection<ExperimentProgress>? target, string[] labels, long before, long total)
    {
        private readonly object _gate = new();
        private readonly int[] _steps = new int[labels.Length];

        public IProgress<TrainingProgress>? For(int index) => target is null ? null : new One(this, index);

        private void Report(int index, TrainingProgress p)
        {
            lock (_gate)
            {
                _steps[index] = p.Step;
                target!.Add(new ExperimentProgress(labels[index], before + _steps.Sum(), total, p));
            }
        }

        private sealed class One(Progress all, int index) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => all.Report(index, value);
        }
    }
}
