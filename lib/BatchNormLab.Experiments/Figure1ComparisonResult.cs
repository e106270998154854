using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>One run of the comparison: its rate and seed, its history, its test curve and its final measurements.</summary>
/// <param name="BatchNorm">Whether the network has BN.</param>
/// <param name="LearningRate">η.</param>
/// <param name="Seed">Initial weights and batch order.</param>
/// <param name="History">The trainer's history (per-step loss, final evaluation).</param>
/// <param name="Recording">Test accuracy on the log-and-linear schedule.</param>
/// <param name="Final">Accuracies after the last step.</param>
public sealed record Figure1Run(bool BatchNorm, double LearningRate, int Seed, TrainingHistory History, Figure1Recording Recording, Figure1Final Final);

/// <summary>What <see cref="Figure1Comparison.Run"/> measured.</summary>
public sealed class Figure1ComparisonResult
{
    /// <summary>The setup.</summary>
    public required Figure1ComparisonOptions Options { get; init; }

    /// <summary>The plain network at the shared rate, one run per seed (in <see cref="Figure1ComparisonOptions.Seeds"/> order).</summary>
    public required IReadOnlyList<Figure1Run> SharedWithout { get; init; }

    /// <summary>The BN network at the shared rate, one run per seed.</summary>
    public required IReadOnlyList<Figure1Run> SharedWith { get; init; }

    /// <summary>Validation accuracy of the plain network per rate of <see cref="Figure1ComparisonOptions.Rates"/> (mean of the last 3 evaluations, NaN = diverged).</summary>
    public required double[] ValidationWithout { get; init; }

    /// <summary>Validation accuracy of the BN network per rate.</summary>
    public required double[] ValidationWith { get; init; }

    /// <summary>The plain network's best rate on the validation split.</summary>
    public required double BestRateWithout { get; init; }

    /// <summary>The BN network's best rate on the validation split.</summary>
    public required double BestRateWith { get; init; }

    /// <summary>The plain network at its own best rate, full length, the first seed (the shared run itself when the best rate is the shared one).</summary>
    public required Figure1Run OwnWithout { get; init; }

    /// <summary>The BN network at its own best rate, full length, the first seed.</summary>
    public required Figure1Run OwnWith { get; init; }

    /// <summary>The test evaluation steps of every full-length run.</summary>
    public int[] EvaluationSteps => SharedWith[0].Recording.EvaluationSteps;

    /// <summary>Test accuracy over the seeds at each evaluation step, without BN.</summary>
    public SeriesSpread TestSpreadWithout() => SeriesSpread.Of(SharedWithout.Select(r => r.Recording.TestAccuracy).ToArray());

    /// <summary>Test accuracy over the seeds at each evaluation step, with BN.</summary>
    public SeriesSpread TestSpreadWith() => SeriesSpread.Of(SharedWith.Select(r => r.Recording.TestAccuracy).ToArray());
}
