namespace BatchNormLab.Experiments;

/// <summary>
/// The setup of <see cref="WhyBatchNorm"/>: the Figure 1 pair (<see cref="Figure1"/>) plus a third network, the
/// BN one with Santurkar et al.'s noise after every BN layer, and what is measured inside the three runs.
/// </summary>
public sealed record WhyOptions
{
    /// <summary>The pair's setup (network, η, seed, steps, batch size, evaluations, probes). Default: 6,000 steps, probes every 20.</summary>
    public Figure1Options Figure1 { get; init; } = new() { Steps = 6_000, EvaluateEvery = 300, ProbeEvery = 20, HistogramSteps = [] };

    /// <summary>n_μ of the noise after BN: shifts drawn from U(−n_μ, n_μ) per unit and step.</summary>
    public double NoiseMean { get; init; } = 1.0;

    /// <summary>n_σ of the noise after BN: scales drawn from U(1, n_σ) per unit and step.</summary>
    public double NoiseScale { get; init; } = 2.0;

    /// <summary>Seed of the noise draws.</summary>
    public int NoiseSeed { get; init; } = 5;

    /// <summary>Internal covariate shift and the loss landscape are measured every this many steps.</summary>
    public int MeasureEvery { get; init; } = 100;

    /// <summary>The step sizes along the gradient, as multiples of η.</summary>
    public double[] LandscapeSteps { get; init; } = [0.25, 0.5, 1, 2, 4];

    /// <summary>Update:data ratios, gradient spreads and γ/β percentiles are recorded every this many steps.</summary>
    public int DiagnosticsEvery { get; init; } = 20;

    /// <summary>Steps at which every gradient is copied (for histograms); null = 0, 1 % and the last measured step.</summary>
    public int[]? GradientSnapshotSteps { get; init; }

    /// <summary>The snapshot steps used.</summary>
    public int[] SnapshotSteps() => GradientSnapshotSteps ?? new SortedSet<int> { 0, Figure1.Steps / 100, Figure1.Steps - 1 }.ToArray();

    /// <summary>Throws a clear error for settings that cannot run.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Figure1);
        Figure1.Validate();
        if (MeasureEvery <= 0) throw new ArgumentOutOfRangeException(nameof(MeasureEvery), MeasureEvery, "MeasureEvery must be positive.");
        if (DiagnosticsEvery <= 0) throw new ArgumentOutOfRangeException(nameof(DiagnosticsEvery), DiagnosticsEvery, "DiagnosticsEvery must be positive.");
        if (!(NoiseMean >= 0) || !(NoiseScale >= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseScale), $"n_μ = {NoiseMean}, n_σ = {NoiseScale}", "The noise needs n_μ ≥ 0 and n_σ ≥ 1.");
        if (LandscapeSteps is null || LandscapeSteps.Length == 0 || LandscapeSteps.Any(s => !(s > 0)))
            throw new ArgumentException("LandscapeSteps must hold at least one positive multiple of η.", nameof(LandscapeSteps));
        foreach (var s in SnapshotSteps())
            if (s < 0 || s >= Figure1.Steps) throw new ArgumentOutOfRangeException(nameof(GradientSnapshotSteps), s, $"Snapshot step {s} is outside 0..{Figure1.Steps - 1}.");
    }
}
