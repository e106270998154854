using BatchNormLab.Data;
using BatchNormLab.Measurements;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Why does batch norm help? The Figure 1 pair plus a third network, the BN one with noise after every BN
/// layer (Santurkar et al. 2018), trained from the same initial weights on the same minibatches with the
/// library's <see cref="Trainer"/>; inside each run the observers measure internal covariate shift
/// (<see cref="InternalCovariateShift"/>), the loss landscape along the gradient (<see cref="LossLandscape"/>)
/// and a practitioner's diagnostics (<see cref="ParameterDiagnostics"/>). The observers restore everything
/// they touch, so each network trains exactly as it would unobserved.
/// </summary>
public static class WhyBatchNorm
{
    /// <summary>Label of the network with noise after BN.</summary>
    public const string NoisyLabel = "noisy BN";

    /// <summary>The three networks for <paramref name="options"/>: plain, BN, and BN with noise (same weights; the noisy one has its own BN layers).</summary>
    public static (Sequential<float> Plain, Sequential<float> BatchNorm, Sequential<float> Noisy) CreateNetworks(WhyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (plain, bn) = Figure1Experiment.CreateNetworks(options.Figure1);
        var noisy = BatchNormNoise<float>.AfterEachNormalization(Figure1Experiment.CreateNetworks(options.Figure1).With,
            options.NoiseMean, options.NoiseScale, options.NoiseSeed);
        return (plain, bn, noisy);
    }

    /// <summary>Trains the three networks on <paramref name="train"/> (two at a time), evaluating on <paramref name="test"/>.</summary>
    public static WhyResult Run(WhyOptions options, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var (plain, bn, noisy) = CreateNetworks(options);
        string[] labels = [Figure1Experiment.WithoutLabel, Figure1Experiment.WithLabel, NoisyLabel];
        Sequential<float>[] models = [plain, bn, noisy];
        var runs = RunQueue.Run(Enumerable.Range(0, 3).Select(i => new QueuedRun<WhyRun>(labels[i], (p, token) =>
        {
            var model = models[i];
            var shift = new InternalCovariateShift(model, options.MeasureEvery);
            var landscape = new LossLandscape(model, options.MeasureEvery, options.LandscapeSteps);
            var diagnostics = new ParameterDiagnostics(model, options.DiagnosticsEvery, options.SnapshotSteps());
            var history = Trainer.Train(model, Figure1Experiment.Batches(options.Figure1, train), test, options.Figure1.Training(), p, token,
                [shift, landscape, diagnostics]);
            return new WhyRun(labels[i], model, history, shift, landscape, diagnostics);
        })).ToArray(), options.Figure1.Parallel, 0, 3L * options.Figure1.Steps, progress, cancellationToken);
        return new WhyResult(options, runs[0], runs[1], runs[2]);
    }
}
