using BatchNormLab.Activations;
using BatchNormLab.Normalization;

namespace BatchNormLab.Models;

/// <summary>The shape and ingredients of an <see cref="Mlp{T}"/>. Defaults: the paper's Figure 1 network without BN.</summary>
public sealed record MlpOptions
{
    /// <summary>Layer widths from input to output; the paper's 784-100-100-100-10 by default.</summary>
    public int[] Sizes { get; init; } = [784, 100, 100, 100, 10];

    /// <summary>The hidden nonlinearity (sigmoid in the paper).</summary>
    public Activation Activation { get; init; } = Activation.Sigmoid;

    /// <summary>What normalisation each hidden layer has (placed by <see cref="Placement"/>).</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.None;

    /// <summary>Where the normalisation goes: before the nonlinearity (the paper, the default) or after it.</summary>
    public NormalizationPlacement Placement { get; init; } = NormalizationPlacement.BeforeActivation;

    /// <summary>How weights are drawn.</summary>
    public WeightInitScheme Init { get; init; } = WeightInitScheme.SmallGaussian;

    /// <summary>s for <see cref="WeightInitScheme.SmallGaussian"/>, the gain otherwise.</summary>
    public double InitScale { get; init; } = WeightInit.DefaultSmallStd;

    /// <summary>Batch norm's α (PyTorch convention, weight of the new batch); null = cumulative average.</summary>
    public double? BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Batch norm's ε.</summary>
    public double BatchNormEps { get; init; } = 1e-5;

    /// <summary>Batch renorm's r_max/d_max schedule; null = the paper's (<see cref="BatchRenormSchedule.Paper"/>).</summary>
    public BatchRenormSchedule? BatchRenormSchedule { get; init; }

    /// <summary>Batch renorm's moving-average rate α (the paper's 0.01).</summary>
    public double BatchRenormRate { get; init; } = 0.01;

    /// <summary>These options with batch norm before every hidden nonlinearity.</summary>
    public MlpOptions WithBatchNorm() => this with { Normalization = NormalizationKind.BatchNorm };
}
