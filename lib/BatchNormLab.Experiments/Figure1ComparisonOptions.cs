namespace BatchNormLab.Experiments;

/// <summary>
/// The fair learning comparison of notebook 03 (see <see cref="Figure1Comparison"/>): the pair at the shared
/// rate over several seeds, and each network at its own best rate, chosen on a validation split carved
/// from the training set.
/// </summary>
public sealed record Figure1ComparisonOptions
{
    /// <summary>The shared setup (the paper's: 50,000 steps, batch 60, η = 1 for both networks).</summary>
    public Figure1Options Baseline { get; init; } = new();

    /// <summary>Seeds of the pair at the shared rate (each seed: new initial weights and a new batch order).</summary>
    public int[] Seeds { get; init; } = [1, 2, 3];

    /// <summary>The learning rates tried for each network when choosing its own best rate.</summary>
    public double[] Rates { get; init; } = [0.1, 0.3, 1, 3];

    /// <summary>Steps of each rate-selection run (shorter than the baseline's, to fit the budget).</summary>
    public int SelectionSteps { get; init; } = 5_000;

    /// <summary>Validation images held out of the training set (drawn with <see cref="ValidationSeed"/>); the selection runs train on the rest.</summary>
    public int ValidationSize { get; init; } = 5_000;

    /// <summary>Seed of the validation split.</summary>
    public int ValidationSeed { get; init; } = 2015;

    /// <summary>Log-spaced test evaluations per decade of steps (readable on a log axis).</summary>
    public int EvaluationsPerDecade { get; init; } = 8;

    /// <summary>Evenly spaced test evaluations over the run, added to the log-spaced ones.</summary>
    public int LinearEvaluations { get; init; } = 20;

    /// <summary>The test evaluation steps of a full-length run.</summary>
    public int[] EvaluationSteps() => Figure1RecordingOptions.LogAndLinear(Baseline.Steps, EvaluationsPerDecade, LinearEvaluations);

    /// <summary>Throws a clear error for options that cannot run.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Baseline);
        Baseline.Validate();
        if (Seeds is null || Seeds.Length == 0) throw new ArgumentException("The comparison needs at least one seed.", nameof(Seeds));
        if (Rates is null || Rates.Length == 0) throw new ArgumentException("Rate selection needs at least one rate.", nameof(Rates));
        if (SelectionSteps < 10) throw new ArgumentOutOfRangeException(nameof(SelectionSteps), SelectionSteps, "Selection runs need at least 10 steps.");
        if (ValidationSize < 100) throw new ArgumentOutOfRangeException(nameof(ValidationSize), ValidationSize, "Hold out at least 100 validation images.");
    }
}
