using System.Numerics;

namespace BatchNormLab.Normalization;

/// <summary>A copy of one normalisation layer's running estimates, taken by <see cref="NormalizationLayer{T}.Snapshot"/>.</summary>
/// <param name="Layer">The layer it was taken of (and the only one it can be restored into).</param>
/// <param name="Buffers">Copies of the running arrays (e.g. E[x] and Var[x]).</param>
/// <param name="Count">The counter that goes with them (batches seen, or the schedule's step).</param>
public sealed record RunningStatisticsSnapshot<T>(NormalizationLayer<T> Layer, T[][] Buffers, long Count)
    where T : unmanaged, IFloatingPointIeee754<T>;
