using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Optimizers;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>The fine-tuning budget of <see cref="FineTuning.Run"/>.</summary>
public sealed record FineTuningOptions
{
    /// <summary>Labelled examples of the new task available for fine-tuning (the first ones of its training set).</summary>
    public int Examples { get; init; } = 1000;

    /// <summary>Fine-tuning minibatch sizes, one run per variant and size (small, as when a large model is fine-tuned).</summary>
    public int[] BatchSizes { get; init; } = [2, 4, 16];

    /// <summary>Fine-tuning SGD steps.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>η while fine-tuning (lower than in pretraining, as usual).</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Measure the new task's test accuracy every this many steps (and at step 0).</summary>
    public int EvaluateEvery { get; init; } = 25;

    /// <summary>Throws a clear error for settings that cannot work.</summary>
    public void Validate()
    {
        if (BatchSizes is null || BatchSizes.Length == 0) throw new ArgumentException("Give at least one fine-tuning batch size.", nameof(BatchSizes));
        if (BatchSizes.Min() < 2) throw new ArgumentOutOfRangeException(nameof(BatchSizes), string.Join(", ", BatchSizes), "Fine-tuning batches need at least 2 examples (batch norm in training mode cannot use 1).");
        if (Examples < BatchSizes.Max()) throw new ArgumentOutOfRangeException(nameof(Examples), Examples, "Fine-tuning needs at least one full batch of examples.");
        if (Steps <= 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be positive.");
        if (EvaluateEvery <= 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEvery), EvaluateEvery, "EvaluateEvery must be positive.");
    }
}

/// <summary>One fine-tuning variant of <see cref="FineTuning.Run"/>.</summary>
/// <param name="Variant">How batch norm behaved while fine-tuning.</param>
/// <param name="BatchSize">Fine-tuning batch size.</param>
/// <param name="Steps">The steps at which <paramref name="TargetAccuracy"/> was measured (0 = the pretrained network).</param>
/// <param name="TargetAccuracy">New-task test accuracy in inference mode at those steps.</param>
/// <param name="SourceAccuracy">Original-task test accuracy in inference mode after fine-tuning (what was kept).</param>
/// <param name="RunningMeanShift">Layer 1: mean over features of |E[x] after − E[x] before| in units of the pretrained running std.</param>
public sealed record FineTuningRun(
    BatchNormFineTuning Variant, int BatchSize, int[] Steps, double[] TargetAccuracy, double SourceAccuracy, double RunningMeanShift)
{
    /// <summary>New-task accuracy after fine-tuning.</summary>
    public double FinalAccuracy => TargetAccuracy[^1];

    /// <summary>New-task accuracy averaged over the last three measurements (one measurement swings with the last batches).</summary>
    public double LateAccuracy => TargetAccuracy[^Math.Min(3, TargetAccuracy.Length)..].Average();
}

/// <summary>The results of <see cref="FineTuning.Run"/>.</summary>
/// <param name="Runs">One per (batch size, variant), batch sizes outermost.</param>
/// <param name="PretrainedSourceAccuracy">The pretrained network on the original task, inference mode.</param>
/// <param name="PretrainedTargetAccuracy">The pretrained network on the new task before any fine-tuning, inference mode.</param>
/// <param name="RecalibratedTargetAccuracy">The pretrained network on the new task with only its running statistics recomputed on the new task's fine-tuning examples (no weight changed).</param>
/// <param name="Options">Pretraining network and budget.</param>
/// <param name="FineTuning">Fine-tuning budget.</param>
public sealed record FineTuningResult(
    IReadOnlyList<FineTuningRun> Runs, double PretrainedSourceAccuracy, double PretrainedTargetAccuracy, double RecalibratedTargetAccuracy,
    PerilsOptions Options, FineTuningOptions FineTuning)
{
    /// <summary>The run of one variant and batch size (throws with the runs available when missing).</summary>
    public FineTuningRun this[BatchNormFineTuning variant, int batchSize] =>
        Runs.FirstOrDefault(r => r.Variant == variant && r.BatchSize == batchSize)
        ?? throw new KeyNotFoundException($"No run for {variant} at batch {batchSize}; ran {string.Join(", ", Runs.Select(r => $"{r.Variant} at {r.BatchSize}"))}.");
}

/// <summary>
/// Fine-tuning a pretrained BN network on a new task with small batches, with batch norm in training mode or frozen
/// in inference mode (Keras's <c>training</c> vs <c>trainable</c>). The network is pretrained once; every variant
/// starts from the same weights and running estimates and sees the same fine-tuning batches. In inference mode BN is
/// a fixed affine map per feature and the gradient flows through it (<see cref="BatchNormMath.BackwardInference"/>).
/// </summary>
public static class FineTuning
{
    /// <summary>
    /// Pretrains the BN network of <paramref name="options"/> on <paramref name="source"/> (shuffled batches, its Steps,
    /// BatchSize and LearningRate), then fine-tunes a copy per variant and batch size on the first <see cref="FineTuningOptions.Examples"/>
    /// of <paramref name="targetTrain"/> and tests on <paramref name="targetTest"/> (and on <paramref name="sourceTest"/>).
    /// </summary>
    public static FineTuningResult Run(
        Dataset source, Dataset sourceTest, Dataset targetTrain, Dataset targetTest, PerilsOptions options, FineTuningOptions fine,
        IReadOnlyList<BatchNormFineTuning>? variants = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceTest);
        ArgumentNullException.ThrowIfNull(targetTrain);
        ArgumentNullException.ThrowIfNull(targetTest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fine);
        fine.Validate();
        variants ??= Enum.GetValues<BatchNormFineTuning>();
        var n = PerilsTraining.Count(targetTest, options.EvaluationExamples);
        var targetEval = targetTest.Take(n);
        var sourceEval = sourceTest.Take(PerilsTraining.Count(sourceTest, options.EvaluationExamples));
        var examples = targetTrain.Take(Math.Min(fine.Examples, targetTrain.Count));
        var total = options.Steps + (long)variants.Count * fine.BatchSizes.Length * fine.Steps;

        var model = Mlp<float>.Create(options.Network(NormalizationKind.BatchNorm), options.Seed);
        PerilsTraining.Train(model, new MinibatchIterator(source, options.BatchSize, BatchOrder.Shuffled, options.Seed), options.Steps, options.LearningRate,
            ExperimentProgress.Of(progress, "pretraining", 0, total), cancellationToken);
        var batchNorms = model.LayersOf<BatchNorm<float>>();
        var pretrained = model.Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        var running = RunningStatistics<float>.Capture(model);
        var firstMean = (float[])batchNorms[0].RunningMean.Clone();
        var firstStd = batchNorms[0].RunningVariance.Select(v => Math.Sqrt(v + 1e-5)).ToArray();
        void Reset()
        {
            for (var k = 0; k < pretrained.Length; k++) pretrained[k].CopyTo(model.Parameters[k].Value.Data, 0);
            running.Restore();
        }

        var pretrainedSource = PerilsTraining.Accuracy(model, sourceEval, Mode.Inference);
        var pretrainedTarget = PerilsTraining.Accuracy(model, targetEval, Mode.Inference);
        Recalibration.Recompute(model, examples);
        var recalibrated = PerilsTraining.Accuracy(model, targetEval, Mode.Inference);

        var runs = new List<FineTuningRun>();
        foreach (var m in fine.BatchSizes)
        {
            foreach (var variant in variants)
            {
                Reset();
                var frozen = variant != BatchNormFineTuning.TrainingMode;
                foreach (var bn in batchNorms)
                    bn.Gamma.Trainable = bn.Beta.Trainable = variant != BatchNormFineTuning.FrozenLayer;
                try
                {
                    var history = Trainer.Train(model, new MinibatchIterator(examples, m, BatchOrder.Shuffled, options.Seed), targetEval,
                        new TrainingOptions
                        {
                            Steps = fine.Steps, LearningRate = fine.LearningRate, EvaluateEvery = fine.EvaluateEvery, EvaluateAtStart = true,
                            EvaluationMode = Mode.Inference, ProgressEvery = 25, StopOnDivergence = false,
                        },
                        ExperimentProgress.Of(progress, $"{variant}, batch {m}", options.Steps + (long)runs.Count * fine.Steps, total), cancellationToken,
                        frozen ? [new PinnedMode(batchNorms, Mode.Inference)] : null);
                    var shift = 0.0;
                    for (var j = 0; j < firstMean.Length; j++) shift += Math.Abs(batchNorms[0].RunningMean[j] - firstMean[j]) / firstStd[j];
                    runs.Add(new FineTuningRun(variant, m, history.EvaluationSteps, history.TestAccuracy,
                        PerilsTraining.Accuracy(model, sourceEval, Mode.Inference), shift / firstMean.Length));
                }
                finally
                {
                    foreach (var bn in batchNorms) bn.Gamma.Trainable = bn.Beta.Trainable = true;
                }
            }
        }
        Reset();
        return new FineTuningResult(runs, pretrainedSource, pretrainedTarget, recalibrated, options, fine);
    }

    /// <summary>Keeps some layers in one mode during training: the trainer sets the whole model to training mode, this sets them back before every step.</summary>
    private sealed class PinnedMode(IReadOnlyList<ILayer<float>> layers, Mode mode) : ITrainingObserver
    {
        public void BeforeStep(int step, Sgd<float> sgd)
        {
            foreach (var layer in layers) layer.Mode = mode;
        }
    }
}
