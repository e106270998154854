using System.Numerics;
using BatchNormLab.Normalization;

namespace BatchNormLab.Models;

/// <summary>
/// A copy of every running estimate in a model (batch norm's E[x], Var[x] and batch count; batch renorm's
/// μ, σ and step), so that a training-mode evaluation, which updates them as a side effect, can be undone.
/// </summary>
public sealed class RunningStatistics<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RunningStatisticsSnapshot<T>[] _snapshots;

    private RunningStatistics(RunningStatisticsSnapshot<T>[] snapshots) => _snapshots = snapshots;

    /// <summary>Copies the running estimates of every normalisation layer of <paramref name="model"/>.</summary>
    public static RunningStatistics<T> Capture(Sequential<T> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new RunningStatistics<T>(model.Normalizations.Where(n => n.HasRunningStatistics).Select(n => n.Snapshot()).ToArray());
    }

    /// <summary>Puts the captured values back.</summary>
    public void Restore()
    {
        foreach (var s in _snapshots) s.Layer.Restore(s);
    }
}
