using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Runs independent training runs on up to <c>parallelism</c> threads and reports their summed progress to
/// one <see cref="IProgress{T}"/> (one report at a time). If one run fails, the others are cancelled and its
/// exception is rethrown; cancelling the token stops them all.
/// </summary>
internal sealed class ParallelRuns(IProgress<ExperimentProgress>? target, long stepsTotal)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, long> _done = [];

    /// <summary>Runs <paramref name="runs"/>[i](progress of run i, token) for every i; each run's progress counts its steps times its weight.</summary>
    public void Run(IReadOnlyList<(string Label, long Weight, Action<IProgress<TrainingProgress>?, CancellationToken> Train)> runs, int parallelism, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
            {
                try
                {
                    stop.Token.ThrowIfCancellationRequested();
                    runs[i].Train(target is null ? null : new RunProgress(this, i, runs[i].Label, runs[i].Weight), stop.Token);
                }
                catch
                {
                    stop.Cancel();
                    throw;
                }
            });
        }
        catch (AggregateException e)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    private void Report(int index, string label, long done, TrainingProgress p)
    {
        lock (_gate)
        {
            _done[index] = done;
            target!.Report(new ExperimentProgress(label, _done.Values.Sum(), stepsTotal, p));
        }
    }

    private sealed class RunProgress(ParallelRuns owner, int index, string label, long weight) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => owner.Report(index, label, value.Step * weight, value);
    }
}
