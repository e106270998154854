namespace BatchNormLab.Training;

/// <summary>What went wrong in a run that still returned a history.</summary>
public enum TrainingProblemKind
{
    /// <summary>An update made the loss or a parameter non-finite; training stopped.</summary>
    Diverged,

    /// <summary>The training loss rose far above chance level (ln K for K classes).</summary>
    Exploded,

    /// <summary>At the end, the network still classifies the training batches at chance level.</summary>
    AtChance,
}

/// <summary>A problem the trainer noticed, with a sentence saying what it means and what to try.</summary>
/// <param name="Kind">Which problem.</param>
/// <param name="Step">The step at which it was noticed.</param>
/// <param name="Message">What was measured and what to try.</param>
public sealed record TrainingProblem(TrainingProblemKind Kind, int Step, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
