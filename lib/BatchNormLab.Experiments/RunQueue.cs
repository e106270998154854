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
    Figure1Recorder? Recorder, IReadOnlyList<ITrainingObserver>? Observers = null);

/// <summary>
/// Runs an experiment's jobs (the Figure 1 pair, seeds, rates, the CNN pair) on one or two threads (a shared queue, one job per thread at a time). The results are
/// bit-identical either way: each job has its own weights, batch iterator and buffers; the data sets are only read.
/// </summary>
internal static class RunQueue
{
    public static TrainingHistory[] Run(IReadOnlyList<RunJob> jobs, bool parallel, long stepsBefore, long stepsTotal,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        var histories = new TrainingHistory[jobs.Count];
        var threads = parallel ? Math.Min(2, jobs.Count) : 1;
        // With threads, reports are queued and handed to the caller's IProgress on the calling thread (a
        // notebook's display belongs to the cell's thread); without, they are passed on as they come.
        using var queue = threads > 1 && progress is not null ? new System.Collections.Concurrent.BlockingCollection<ExperimentProgress>() : null;
        var reporter = new Reporter(queue is null ? progress : new Enqueue(queue), jobs, stepsBefore, stepsTotal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobs.Count)
            {
                var job = jobs[i];
                IReadOnlyList<ITrainingObserver> observers = [.. job.Recorder is null ? [] : new ITrainingObserver[] { job.Recorder }, .. job.Observers ?? []];
                histories[i] = Trainer.Train(job.Model, job.Batches, job.Test, job.Training, reporter.For(i), stop.Token, observers);
            }
        }
        if (threads == 1)
        {
            Work();
            return histories;
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
            foreach (var report in queue.GetConsumingEnumerable()) progress!.Report(report);
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
        return histories;
    }

    private sealed class Enqueue(System.Collections.Concurrent.BlockingCollection<ExperimentProgress> queue) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => queue.Add(value);
    }

    // The jobs' reports reach the caller's IProgress one at a time, with the steps of all jobs added up.
    private sealed class Reporter(IProgress<ExperimentProgress>? target, IReadOnlyList<RunJob> jobs, long before, long total)
    {
        private readonly object _gate = new();
        private readonly int[] _steps = new int[jobs.Count];
        private long _sum;

        public IProgress<TrainingProgress>? For(int index) => target is null ? null : new Run(this, index);

        private void Report(int index, TrainingProgress p)
        {
            lock (_gate)
            {
                _sum += p.Step - _steps[index];
                _steps[index] = p.Step;
                target!.Report(new ExperimentProgress(jobs[index].Label, before + _sum, total, p));
            }
        }

        private sealed class Run(Reporter reporter, int index) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => reporter.Report(index, value);
        }
    }
}
