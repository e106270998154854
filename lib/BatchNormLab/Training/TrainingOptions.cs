using BatchNormLab.Layers;

namespace BatchNormLab.Training;

/// <summary>
/// How <see cref="Trainer.Train"/> optimises and when it evaluates. Steps are counted as updates done:
/// "step t" means the network after t SGD updates; evaluations happen after update t. What is probed
/// is in <see cref="Probes"/>; progress and cancellation are arguments of the call, not options.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Number of SGD updates (minibatches).</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>η.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum μ (0 = plain SGD, as in the paper's Figure 1).</summary>
    public double Momentum { get; init; }

    /// <summary>Evaluate on the test set every this many steps (0 = only after the last step). The last step is always evaluated.</summary>
    public int EvaluateEvery { get; init; }

    /// <summary>Also evaluate the untrained network (step 0). Its training loss is NaN (no interval yet).</summary>
    public bool EvaluateAtStart { get; init; }

    /// <summary>Mode of test evaluations: inference (running estimates) by default; training mode uses batch statistics.</summary>
    public Mode EvaluationMode { get; init; } = Mode.Inference;

    /// <summary>Test examples per forward pass. Only changes results in training mode; 1000 keeps inference fast.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>What to probe inside the steps (null = nothing).</summary>
    public ProbeOptions? Probes { get; init; }

    /// <summary>Report progress every this many steps as well as at evaluations (0 = at evaluations only).</summary>
    public int ProgressEvery { get; init; }

    /// <summary>
    /// When an update makes the loss or a parameter non-finite (a too-large learning rate), stop and
    /// record <see cref="TrainingHistory.DivergedAtStep"/>; false = throw.
    /// </summary>
    public bool StopOnDivergence { get; init; } = true;

    /// <summary>The steps evaluated, ascending.</summary>
    public int[] EvaluationSchedule()
    {
        var s = new SortedSet<int> { Steps };
        if (EvaluateAtStart) s.Add(0);
        if (EvaluateEvery > 0)
            for (var t = EvaluateEvery; t <= Steps; t += EvaluateEvery) s.Add(t);
        return [.. s];
    }

    /// <summary>Throws a clear error for settings that cannot work.</summary>
    public void Validate()
    {
        if (Steps <= 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        if (EvaluateEvery < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEvery), EvaluateEvery, "EvaluateEvery must be 0 (end only) or positive.");
        if (ProgressEvery < 0) throw new ArgumentOutOfRangeException(nameof(ProgressEvery), ProgressEvery, "ProgressEvery must be 0 (evaluations only) or positive.");
        if (EvaluationBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "EvaluationBatchSize must be positive.");
        Probes?.Validate(Steps);
    }
}
