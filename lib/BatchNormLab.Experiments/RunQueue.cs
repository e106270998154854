using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>One training run of an experiment: a network, its batches, its trainer options and what observes it.</summary>
/// <param name="Label">Shown in progress reports, e.g. "with BN, seed 2".</param>
/// <param name="Model">The network (trained in place).</param>
/// <param name="Batches">Its minibatches.</param>
/// <param name="Training">The trainer's options.</param>
/// <param name="Test">Evaluated by the trainer (and the recorder).</param>
/// <param name="Recorder">Figure 1's recorder (measures the network at scheduled steps); null = none.</param>
/// <param name="Observers">Other observers of the run (e.g. the CNN's channel statistics).</param>
internal sealed record RunJob(string Label, Sequential<float> Model, IBatchSource Batches, TrainingOptions Training, Dataset? Test,
    Figure1Recorder? Recorder, IReadOnlyList<ITrainingObserver>? Observers = null)
{
    /// <summary>Trains <see cref="Model"/> with the recorder and the other observers.</summary>
    public TrainingHistory Train(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<ITrainingObserver> observers = [.. Recorder is null ? [] : new ITrainingObserver[] { Recorder }, .. Observers ?? []];
        return Trainer.Train(Model, Batches, Test, Training, progress, cancellationToken, observers);
    }

    /// <summary>This job as a run of the queue.</summary>
    public QueuedRun<TrainingHistory> AsRun() => new(Label, Train);
}

/// <summary>Any independent run of an experiment (a training run and what is measured after it), as <see cref="RunQueue"/> takes it.</summary>
/// <param name="Label">Shown in progress reports, e.g. "with BN, batch 16".</param>
/// <param name="Work">The run: it reports its trainer's progress to the <see cref="IProgress{T}"/> it is given (null when nobody
/// listens), stops when the token is cancelled, and returns its result. It must share no mutable state with the other runs.</param>
/// <param name="Weight">What one of its steps counts in the experiment's progress: 1 = steps, the batch size = examples.</param>
internal sealed record QueuedRun<T>(string Label, Func<IProgress<TrainingProgress>?, CancellationToken, T> Work, long Weight = 1);

/// <summary>
/// Runs an experiment's independent runs (the Figure 1 pair, seeds, rates, the CNN pair, notebook 05's three networks and its
/// batch sizes) on one or two threads (a shared queue, one run per thread at a time). The results are bit-identical either way:
/// each run has its own weights, batch iterator and buffers; the data sets are only read. Progress always reaches the caller's
/// <see cref="IProgress{T}"/> on the calling thread, one report at a time, with the (weighted) steps of all runs added up. If one
/// run fails, the others are cancelled and its exception is rethrown; cancelling the token stops them all.
/// </summary>
internal static class RunQueue
{
    /// <summary>Trains every job; the histories come back in the jobs' order.</summary>
    public static TrainingHistory[] Run(IReadOnlyList<RunJob> jobs, bool parallel, long stepsBefore, long stepsTotal,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken) =>
        Run(jobs.Select(j => j.AsRun()).ToArray(), parallel, stepsBefore, stepsTotal, progress, cancellationToken);

    /// <summary>Does every run; the results come back in the runs' order. <paramref name="stepsBefore"/> of <paramref name="stepsTotal"/> were done before.</summary>
    public static T[] Run<T>(IReadOnlyList<QueuedRun<T>> runs, bool parallel, long stepsBefore, long stepsTotal,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new T[runs.Count];
        var threads = parallel ? Math.Min(2, runs.Count) : 1;
        // With threads, reports are queued and handed to the caller's IProgress on the calling thread (a
        // notebook's display belongs to the cell's thread); without, they are passed on as they come.
        using var queue = threads > 1 && progress is not null ? new System.Collections.Concurrent.BlockingCollection<ExperimentProgress>() : null;
        var reporter = new Reporter(queue is null ? progress : new Enqueue(queue),
            runs.Select(r => r.Label).ToArray(), runs.Select(r => r.Weight).ToArray(), stepsBefore, stepsTotal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs.Count)
            {
                stop.Token.ThrowIfCancellationRequested();
                results[i] = runs[i].Work(reporter.For(i), stop.Token);
            }
        }
        if (threads == 1)
        {
            Work();
            return results;
        }
        var tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                Work();
            }
            catch
            {
                stop.Cancel(); // one run failed: stop the others rather than wait for them
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        if (queue is not null)
        {
            var all = Task.WhenAll(tasks).ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
            try
            {
                foreach (var report in queue.GetConsumingEnumerable()) progress!.Report(report);
            }
            catch
            {
                stop.Cancel(); // the caller's progress threw: stop the runs before the queue and the token go away
                all.Wait();
                throw;
            }
            all.Wait();
        }
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        return results;
    }

    private sealed class Enqueue(System.Collections.Concurrent.BlockingCollection<ExperimentProgress> queue) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => queue.Add(value);
    }

    // The runs' reports reach the caller's IProgress one at a time, with the weighted steps of all runs added up.
    private sealed class Reporter(IProgress<ExperimentProgress>? target, IReadOnlyList<string> labels, IReadOnlyList<long> weights, long before, long total)
    {
        private readonly object _gate = new();
        private readonly long[] _done = new long[labels.Count];
        private long _sum;

        public IProgress<TrainingProgress>? For(int index) => target is null ? null : new Run(this, index);

        private void Report(int index, TrainingProgress p)
        {
            lock (_gate)
            {
                var done = p.Step * weights[index];
                _sum += done - _done[index];
                _done[index] = done;
                target!.Report(new ExperimentProgress(labels[index], before + _sum, total, p));
            }
        }

        private sealed class Run(Reporter reporter, int index) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => reporter.Report(index, value);
        }
    }
}
