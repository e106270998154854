using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Runs independent training runs on up to <c>parallelism</c> pool threads and reports their summed progress
/// to one <see cref="IProgress{T}"/> from the caller's thread only (every 200 ms and at the end), so a
/// display never sees calls from several threads. If one run fails, the others are cancelled and its
/// exception is rethrown; cancelling the token stops them all.
/// </summary>
internal sealed class ParallelRuns(IProgress<ExperimentProgress>? target, long stepsTotal)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, long> _done = [];
    private ExperimentProgress? _latest;
    private bool _fresh;

    /// <summary>Runs <paramref name="runs"/>[i](progress of run i, token) for every i; each run's progress counts its steps times its weight.</summary>
    public void Run(IReadOnlyList<(string Label, long Weight, Action<IProgress<TrainingProgress>?, CancellationToken> Train)> runs, int parallelism, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
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
        }), CancellationToken.None);
        try
        {
            while (!work.Wait(200)) Flush();
        }
        catch (AggregateException e)
        {
            Flush();
            var inner = e.Flatten().InnerExceptions;
            var first = inner.FirstOrDefault(x => x is not OperationCanceledException) ?? inner[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        Flush();
    }

    private void Flush()
    {
        ExperimentProgress? p;
        lock (_gate)
        {
            p = _fresh ? _latest : null;
            _fresh = false;
        }
        if (p is { } value) target?.Report(value);
    }

    private void Store(int index, string label, long done, TrainingProgress p)
    {
        lock (_gate)
        {
            _done[index] = done;
            _latest = new ExperimentProgress(label, _done.Values.Sum(), stepsTotal, p);
            _fresh = true;
        }
    }

    private sealed class RunProgress(ParallelRuns owner, int index, string label, long weight) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => owner.Store(index, label, value.Step * weight, value);
    }
}
