using BatchNormLab.Layers;

namespace BatchNormLab.Training;

/// <summary>
/// How <see cref="Trainer.Train"/> runs. Steps are counted as updates done: "step t" means the network
/// after t SGD updates. Evaluations happen after update t; probes record the forward pass of update
/// t + 1 (the network after t updates, on the batch it is about to learn from).
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

    /// <summary>Further data sets or modes evaluated at the same steps as the test set (see <see cref="TrainingHistory.Extra"/>).</summary>
    public EvaluationSpec[] AdditionalEvaluations { get; init; } = [];

    /// <summary>Probe every this many steps: t = 0, k, 2k, … below <see cref="Steps"/> (0 = no periodic probes).</summary>
    public int ProbeEvery { get; init; }

    /// <summary>Extra steps to probe (each in 0..Steps−1), merged with <see cref="ProbeEvery"/>'s.</summary>
    public int[] ProbeSteps { get; init; } = [];

    /// <summary>Percentile levels the probes record.</summary>
    public double[] ProbePercentiles { get; init; } = [15, 50, 85];

    /// <summary>Units tracked individually in every hidden layer (column indices).</summary>
    public int[] TrackedUnits { get; init; } = [0];

    /// <summary>Steps (each in 0..Steps−1) at which every hidden layer's input histogram is captured.</summary>
    public int[] HistogramSteps { get; init; } = [];

    /// <summary>Histogram bins.</summary>
    public int HistogramBins { get; init; } = 60;

    /// <summary>Histogram range lower edge.</summary>
    public double HistogramMin { get; init; } = -6;

    /// <summary>Histogram range upper edge.</summary>
    public double HistogramMax { get; init; } = 6;

    /// <summary>Called at every evaluation and every <see cref="ProgressEvery"/> steps, on the training thread.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Report progress every this many steps as well as at evaluations (0 = at evaluations only).</summary>
    public int ProgressEvery { get; init; }

    /// <summary>
    /// When a step produces non-finite values (a too-large learning rate), stop and mark the history
    /// diverged instead of throwing.
    /// </summary>
    public bool StopOnDivergence { get; init; } = true;
}
