namespace BatchNormLab.Experiments;

/// <summary>
/// One hidden layer's sigmoid inputs on the probe set at every probe, in one mode: for each unit its
/// 15th, 50th and 85th percentiles, mean and standard deviation over the probe images; pooled over all
/// units the same percentiles and the saturated fraction. Index [unit][k] belongs to probe k.
/// </summary>
public sealed class Figure1LayerRecord
{
    internal Figure1LayerRecord(int layer, int units, int probes)
    {
        Layer = layer;
        Units = units;
        double[][] Jagged() => Enumerable.Range(0, units).Select(_ => new double[probes]).ToArray();
        P15 = Jagged();
        P50 = Jagged();
        P85 = Jagged();
        Mean = Jagged();
        StandardDeviation = Jagged();
        PooledP15 = new double[probes];
        PooledP50 = new double[probes];
        PooledP85 = new double[probes];
        SaturatedFraction = new double[probes];
    }

    /// <summary>0-based hidden layer.</summary>
    public int Layer { get; }

    /// <summary>Units in the layer.</summary>
    public int Units { get; }

    /// <summary>P15[unit][k]: the unit's 15th percentile over the probe images at probe k.</summary>
    public double[][] P15 { get; }

    /// <summary>P50[unit][k]: the unit's median.</summary>
    public double[][] P50 { get; }

    /// <summary>P85[unit][k]: the unit's 85th percentile.</summary>
    public double[][] P85 { get; }

    /// <summary>Mean[unit][k] over the probe images.</summary>
    public double[][] Mean { get; }

    /// <summary>StandardDeviation[unit][k] (population, 1/n) over the probe images.</summary>
    public double[][] StandardDeviation { get; }

    /// <summary>15th percentile of all units' values together, per probe.</summary>
    public double[] PooledP15 { get; }

    /// <summary>Median of all units' values together, per probe.</summary>
    public double[] PooledP50 { get; }

    /// <summary>85th percentile of all units' values together, per probe.</summary>
    public double[] PooledP85 { get; }

    /// <summary>
    /// Fraction of all values at which the sigmoid is saturated, per probe: |2σ(x) − 1| &gt; 0.97, i.e. σ(x)
    /// within 1.5 % of 0 or 1, |x| &gt; 2 artanh 0.97 ≈ 4.19 (<see cref="Activations.ActivationMath.IsSaturated"/>).
    /// </summary>
    public double[] SaturatedFraction { get; }

    /// <summary>The movement of unit <paramref name="unit"/>'s band over the probes at <paramref name="steps"/> (see <see cref="BandMovement"/>).</summary>
    public BandMovement UnitMovement(int unit, IReadOnlyList<int> steps, int fromStep = 0) =>
        BandMovement.Of(P15[unit], P50[unit], P85[unit], steps, Layer, fromStep);

    /// <summary>The movement of the pooled band.</summary>
    public BandMovement PooledMovement(IReadOnlyList<int> steps, int fromStep = 0) =>
        BandMovement.Of(PooledP15, PooledP50, PooledP85, steps, Layer, fromStep);
}
