using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>One network of <see cref="BatchNormPlacement.Run"/>, measured after training.</summary>
/// <param name="Activation">The hidden nonlinearity g.</param>
/// <param name="Placement">Where BN sat; null = no BN (the control).</param>
/// <param name="Seed">Seed of the weights and the batch order (shared by the three variants of a seed).</param>
/// <param name="TestAccuracy">Test accuracy in inference mode.</param>
/// <param name="TrainingLoss">Mean training loss over the last tenth of the steps.</param>
/// <param name="SaturatedFraction">
/// Over every hidden layer and probe example, the fraction of g's inputs where g is saturated
/// (<see cref="ActivationMath.IsSaturated"/>: sigmoid output within 1.5 % of 0 or 1; ReLU input ≤ 0).
/// </param>
/// <param name="LastLayerInputPercentiles">The 15th, 50th and 85th percentiles of g's inputs in the last hidden layer, pooled over units and probe examples.</param>
/// <param name="BatchNormInputSkewness">Mean over units of |skewness| of the last BN layer's input over the probe examples (NaN without BN).</param>
/// <param name="OutputLayerInputMean">Mean over units of the output layer's input (the last hidden layer's output), per unit over the probe examples.</param>
/// <param name="OutputLayerInputStd">Mean over units of the standard deviation of the output layer's input.</param>
public sealed record PlacementRun(
    Activation Activation, NormalizationPlacement? Placement, int Seed, double TestAccuracy, double TrainingLoss,
    double SaturatedFraction, double[] LastLayerInputPercentiles, double BatchNormInputSkewness,
    double OutputLayerInputMean, double OutputLayerInputStd)
{
    /// <summary>"no BN", "BN before g" or "BN after g".</summary>
    public string Variant => Placement switch
    {
        null => "no BN",
        NormalizationPlacement.BeforeActivation => "BN before g",
        _ => "BN after g",
    };
}

/// <summary>The results of <see cref="BatchNormPlacement.Run"/>.</summary>
/// <param name="Runs">One row per (activation, variant, seed).</param>
/// <param name="Options">Network and budget.</param>
/// <param name="ProbeExamples">Test images the measurements after training used.</param>
public sealed record PlacementResult(IReadOnlyList<PlacementRun> Runs, PerilsOptions Options, int ProbeExamples)
{
    /// <summary>The runs of one activation and variant (null placement = no BN), by seed.</summary>
    public IReadOnlyList<PlacementRun> Of(Activation activation, NormalizationPlacement? placement) =>
        Runs.Where(r => r.Activation == activation && r.Placement == placement).ToList();

    /// <summary>Mean of <paramref name="value"/> over the seeds of one activation and variant.</summary>
    public double Mean(Activation activation, NormalizationPlacement? placement, Func<PlacementRun, double> value)
    {
        var runs = Of(activation, placement);
        if (runs.Count == 0) throw new KeyNotFoundException($"No runs for {activation}, placement {placement?.ToString() ?? "none"}.");
        return runs.Average(value);
    }
}

/// <summary>
/// BN before or after the nonlinearity (the question d2l raises; the paper's §3.2 normalises x = Wu before g).
/// For each activation and seed, three networks start from the same weights (<see cref="Mlp{T}"/> draws them in
/// the same order whatever the placement) and see the same batches: no BN, BN on Wu before g, BN on g's output.
/// </summary>
public static class BatchNormPlacement
{
    /// <summary>Trains the three variants per (activation, seed) for <see cref="PerilsOptions.Steps"/> steps and measures each.</summary>
    /// <param name="train">Training set (shuffled batches of <see cref="PerilsOptions.BatchSize"/>).</param>
    /// <param name="test">Test set: accuracy over <see cref="PerilsOptions.EvaluationExamples"/> images, probes over the first 1,000.</param>
    /// <param name="options">Network and budget; its Activation and Seed are replaced by <paramref name="activations"/> and <paramref name="seeds"/>.</param>
    /// <param name="activations">The nonlinearities to compare.</param>
    /// <param name="seeds">Seeds; each gives one paired comparison.</param>
    /// <param name="learningRates">η per activation (default: <see cref="PerilsOptions.LearningRate"/> for all).</param>
    /// <param name="progress">Live progress over all runs.</param>
    /// <param name="cancellationToken">Stops training.</param>
    public static PlacementResult Run(
        Dataset train, Dataset test, PerilsOptions options, IReadOnlyList<Activation> activations, IReadOnlyList<int> seeds,
        IReadOnlyDictionary<Activation, double>? learningRates = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(seeds);
        if (activations.Count == 0 || seeds.Count == 0) throw new ArgumentException("Give at least one activation and one seed.");
        NormalizationPlacement?[] variants = [null, NormalizationPlacement.BeforeActivation, NormalizationPlacement.AfterActivation];
        var evaluationCount = PerilsTraining.Count(test, options.EvaluationExamples);
        var probe = test.Images.SliceRows(0, Math.Min(1000, test.Count));
        var total = (long)activations.Count * seeds.Count * variants.Length * options.Steps;
        var runs = new List<PlacementRun>();
        foreach (var g in activations)
        {
            var eta = learningRates is not null && learningRates.TryGetValue(g, out var r) ? r : options.LearningRate;
            foreach (var seed in seeds)
            {
                foreach (var placement in variants)
                {
                    var o = options with { Activation = g, Seed = seed };
                    var network = o.Network(placement is null ? NormalizationKind.None : NormalizationKind.BatchNorm) with
                    {
                        Placement = placement ?? NormalizationPlacement.BeforeActivation,
                    };
                    var mlp = Mlp<float>.Create(network, seed);
                    var run = new PlacementRun(g, placement, seed, 0, 0, 0, [], 0, 0, 0);
                    var loss = PerilsTraining.Train(mlp, new MinibatchIterator(train, o.BatchSize, BatchOrder.Shuffled, seed), o.Steps, eta,
                        ExperimentProgress.Of(progress, $"{g}, {run.Variant}, seed {seed}", (long)runs.Count * o.Steps, total), cancellationToken);
                    var p = Probe(mlp, probe);
                    runs.Add(run with
                    {
                        TestAccuracy = PerilsTraining.Accuracy(mlp, test, Mode.Inference, 500, evaluationCount),
                        TrainingLoss = loss,
                        SaturatedFraction = p.SaturatedFraction,
                        LastLayerInputPercentiles = p.LastLayerInputPercentiles,
                        BatchNormInputSkewness = p.BatchNormInputSkewness,
                        OutputLayerInputMean = p.OutputLayerInputMean,
                        OutputLayerInputStd = p.OutputLayerInputStd,
                    });
                }
            }
        }
        return new PlacementResult(runs, options, probe.Rows);
    }

    /// <summary>
    /// One inference-mode pass over <paramref name="x"/>, layer by layer, reading g's inputs and the last BN layer's input:
    /// the saturated fraction, the last hidden layer's input percentiles (15, 50, 85), the mean |skewness| of BN's input,
    /// and the per-unit mean and standard deviation of the output layer's input, averaged over units.
    /// </summary>
    public static (double SaturatedFraction, double[] LastLayerInputPercentiles, double BatchNormInputSkewness, double OutputLayerInputMean, double OutputLayerInputStd)
        Probe(Sequential<float> model, Matrix<float> x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        model.Mode = Mode.Inference;
        long saturated = 0, count = 0;
        float[] lastInputs = [];
        Matrix<float>? bnInput = null;
        var h = x;
        Matrix<float>? outputInput = null;
        foreach (var layer in model.Layers)
        {
            if (ReferenceEquals(layer, model.Layers[^1])) outputInput = h.Clone();
            if (layer is ActivationLayer<float> act)
            {
                foreach (var u in h.Data) saturated += ActivationMath.IsSaturated(act.Function, u) ? 1 : 0;
                count += h.Data.Length;
                lastInputs = (float[])h.Data.Clone();
            }
            if (layer is BatchNorm<float>) bnInput = h.Clone();
            h = layer.Forward(h);
        }
        Array.Sort(lastInputs);
        double Percentile(double p) => lastInputs.Length == 0 ? double.NaN : lastInputs[(int)Math.Round(p * (lastInputs.Length - 1))];
        var (mean, std) = MeanAndStd(outputInput!);
        return ((double)saturated / Math.Max(1, count), [Percentile(0.15), Percentile(0.5), Percentile(0.85)],
            bnInput is null ? double.NaN : MeanAbsoluteSkewness(bnInput), mean, std);
    }

    /// <summary>Per column mean and (biased) standard deviation, each averaged over columns.</summary>
    private static (double Mean, double Std) MeanAndStd(Matrix<float> x)
    {
        double meanSum = 0, stdSum = 0;
        for (var j = 0; j < x.Cols; j++)
        {
            double mean = 0, m2 = 0;
            for (var i = 0; i < x.Rows; i++) mean += x[i, j];
            mean /= x.Rows;
            for (var i = 0; i < x.Rows; i++) m2 += (x[i, j] - mean) * (x[i, j] - mean);
            meanSum += mean;
            stdSum += Math.Sqrt(m2 / x.Rows);
        }
        return (meanSum / x.Cols, stdSum / x.Cols);
    }

    /// <summary>Mean over columns of |E[(x − μ)³]| / σ³ (columns with no spread are skipped).</summary>
    public static double MeanAbsoluteSkewness(Matrix<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double total = 0;
        var columns = 0;
        for (var j = 0; j < x.Cols; j++)
        {
            double mean = 0;
            for (var i = 0; i < x.Rows; i++) mean += x[i, j];
            mean /= x.Rows;
            double m2 = 0, m3 = 0;
            for (var i = 0; i < x.Rows; i++)
            {
                var c = x[i, j] - mean;
                m2 += c * c;
                m3 += c * c * c;
            }
            m2 /= x.Rows;
            m3 /= x.Rows;
            if (m2 <= 1e-12) continue;
            total += Math.Abs(m3) / Math.Pow(m2, 1.5);
            columns++;
        }
        return columns == 0 ? double.NaN : total / columns;
    }
}
