using BatchNormLab.Activations;

namespace BatchNormLab.Training;

/// <summary>
/// What the probes recorded for one hidden layer: the distribution of its nonlinearity's input
/// (<see cref="ActivationLayer{T}.LastInput"/> on the current training batch, B x units), pooled
/// over all units and for a few tracked units.
/// </summary>
/// <param name="Layer">0-based index of the hidden layer.</param>
/// <param name="Name">The activation layer's name, e.g. "sigmoid3".</param>
/// <param name="Activation">The nonlinearity (decides what counts as saturated).</param>
/// <param name="Pooled">Statistics over all B x units values.</param>
/// <param name="Units">Statistics of each tracked unit over the B examples of the batch.</param>
public sealed record LayerProbe(int Layer, string Name, Activation Activation, DistributionSeries Pooled, IReadOnlyList<UnitProbe> Units)
{
    /// <summary>The tracked unit <paramref name="unit"/>'s series.</summary>
    public DistributionSeries Unit(int unit) =>
        Units.FirstOrDefault(u => u.Unit == unit)?.Series
        ?? throw new ArgumentOutOfRangeException(nameof(unit), unit, $"Unit {unit} of {Name} was not tracked; tracked: {string.Join(", ", Units.Select(u => u.Unit))}.");
}
