using BatchNormLab.Activations;
using BatchNormLab.Models;
using BatchNormLab.Normalization;

namespace BatchNormLab.Experiments;

/// <summary>
/// The network and training budget every perils experiment shares. Defaults: the paper's Figure 1
/// network (784-100-100-100-10, sigmoid, small Gaussian weights), plain SGD, batch 60, and a short
/// budget that fits a notebook; tests shrink it further.
/// </summary>
public sealed record PerilsOptions
{
    /// <summary>Layer widths from input to output.</summary>
    public int[] Sizes { get; init; } = [784, 100, 100, 100, 10];

    /// <summary>Hidden nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Sigmoid;

    /// <summary>Weight initialisation.</summary>
    public WeightInitScheme Init { get; init; } = WeightInitScheme.SmallGaussian;

    /// <summary>s of the small Gaussian (or the gain of Xavier/He).</summary>
    public double InitScale { get; init; } = WeightInit.DefaultSmallStd;

    /// <summary>η of plain SGD.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Training minibatch size.</summary>
    public int BatchSize { get; init; } = 60;

    /// <summary>Training steps per run.</summary>
    public int Steps { get; init; } = 1500;

    /// <summary>Batch norm's α (PyTorch convention).</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>
    /// Batch renorm's r_max/d_max schedule; null (the default) = the paper's schedule scaled to the run, so
    /// that r_max reaches 3 at the run's last step (the paper: warm-up 5k, d_max 5 by 25k, r_max 3 by 40k;
    /// a 1,000-step run gets warm-up 125, d_max 5 by 625, r_max 3 by 1,000). See <see cref="BatchRenormSchedule.Scaled"/>.
    /// </summary>
    public BatchRenormSchedule? RenormSchedule { get; init; }

    /// <summary>Batch renorm's moving-average rate (0.01 in the paper; larger catches up sooner in short runs).</summary>
    public double RenormRate { get; init; } = 0.01;

    /// <summary>Test examples used for each accuracy (the first ones of the test set); 0 = all.</summary>
    public int EvaluationExamples { get; init; }

    /// <summary>Seed of the weights and of every data order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The MLP options for a network with <paramref name="kind"/> between each linear map and its nonlinearity,
    /// to be trained for <paramref name="steps"/> steps (default <see cref="Steps"/>; it scales the renorm schedule).
    /// </summary>
    public MlpOptions Network(NormalizationKind kind, int? steps = null) => new()
    {
        Sizes = Sizes,
        Activation = Activation,
        Normalization = kind,
        Init = Init,
        InitScale = InitScale,
        BatchNormMomentum = BatchNormMomentum,
        BatchRenormSchedule = RenormSchedule ?? BatchRenormSchedule.Paper.Scaled(Math.Max(1, steps ?? Steps) / BatchRenormSchedule.Paper.RMaxReachedAt),
        BatchRenormRate = RenormRate,
    };
}
