using BatchNormLab.Measurements;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>One network of <see cref="WhyBatchNorm"/>: its training history and everything measured inside the run.</summary>
/// <param name="Label">"without BN", "with BN" or "noisy BN".</param>
/// <param name="Model">The trained network.</param>
/// <param name="History">Test accuracy, losses and the sigmoid-input probes (notebook 02's bands).</param>
/// <param name="Shift">Internal covariate shift per dense layer (Santurkar's definition).</param>
/// <param name="Landscape">Loss and gradient along the gradient direction.</param>
/// <param name="Diagnostics">Update:data ratios, gradient spreads, γ and β, gradient snapshots.</param>
public sealed record WhyRun(string Label, Sequential<float> Model, TrainingHistory History,
    InternalCovariateShift Shift, LossLandscape Landscape, ParameterDiagnostics Diagnostics);

/// <summary>The three runs of <see cref="WhyBatchNorm"/>, from the same initial weights on the same batches.</summary>
/// <param name="Options">The setup.</param>
/// <param name="Plain">The network without BN.</param>
/// <param name="BatchNorm">The network with BN.</param>
/// <param name="NoisyBatchNorm">The BN network with noise after every BN layer.</param>
public sealed record WhyResult(WhyOptions Options, WhyRun Plain, WhyRun BatchNorm, WhyRun NoisyBatchNorm)
{
    /// <summary>The three runs in the order plain, BN, noisy BN.</summary>
    public IReadOnlyList<WhyRun> Runs => [Plain, BatchNorm, NoisyBatchNorm];
}
