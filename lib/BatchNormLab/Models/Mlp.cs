using System.Numerics;
using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Models;

/// <summary>
/// Builds multilayer perceptrons as <see cref="Sequential{T}"/> models: for each hidden layer u = xW (+ b),
/// then normalisation (if any) on u, then the nonlinearity; a final dense layer gives the logits. Batch
/// norm sits where the paper puts it: between the linear map and the nonlinearity, and the dense layer
/// before it has no bias (β takes its role). Layer names: dense1, bn1, sigmoid1, …, dense4. With
/// <see cref="NormalizationPlacement.AfterActivation"/> the order is dense1 (with bias), sigmoid1, bn1, ….
/// </summary>
public static class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Builds the network; every weight is drawn from <paramref name="rng"/>, layer by layer.</summary>
    public static Sequential<T> Create(MlpOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        var sizes = options.Sizes;
        if (sizes is null || sizes.Length < 2 || sizes.Any(s => s <= 0))
            throw new ArgumentException($"An MLP needs at least two positive layer sizes; got [{string.Join(", ", sizes ?? [])}].", nameof(options));
        var layers = new List<ILayer<T>>();
        for (var l = 0; l < sizes.Length - 2; l++)
        {
            var n = l + 1;
            var normalization = CreateNormalization(options, n, sizes[l + 1]);
            var before = normalization is not null && options.Placement == NormalizationPlacement.BeforeActivation;
            // A bias right before a normalisation is cancelled by its centring; anywhere else it is needed.
            layers.Add(new Dense<T>($"dense{n}", WeightInit.Create<T>(options.Init, sizes[l], sizes[l + 1], options.InitScale, rng), bias: !before));
            if (before) layers.Add(normalization!);
            layers.Add(new ActivationLayer<T>($"{options.Activation.ToString().ToLowerInvariant()}{n}", options.Activation));
            if (normalization is not null && !before) layers.Add(normalization);
        }
        var last = sizes.Length - 1;
        layers.Add(new Dense<T>($"dense{last}", WeightInit.Create<T>(options.Init, sizes[last - 1], sizes[last], options.InitScale, rng), bias: true));
        // Nobody needs ∂ℓ/∂(input images); skipping it saves a large product per step.
        ((Dense<T>)layers[0]).ComputeInputGradient = false;
        return new Sequential<T>(sizes[0], sizes[^1], layers);
    }

    /// <summary>Builds the network from a seed.</summary>
    public static Sequential<T> Create(MlpOptions options, int seed) => Create(options, new Random(seed));

    /// <summary>The normalisation layer <paramref name="options"/> asks for in hidden layer <paramref name="n"/> (1-based), or null.</summary>
    public static NormalizationLayer<T>? CreateNormalization(MlpOptions options, int n, int features)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Normalization switch
        {
            NormalizationKind.None => null,
            NormalizationKind.BatchNorm => new BatchNorm<T>($"bn{n}", features, options.BatchNormEps, options.BatchNormMomentum),
            NormalizationKind.BatchRenorm => new BatchRenorm<T>($"brn{n}", features, options.BatchRenormSchedule, options.BatchRenormRate, options.BatchNormEps),
            NormalizationKind.LayerNorm => new LayerNorm<T>($"ln{n}", features, options.BatchNormEps),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Normalization, "Unknown normalisation."),
        };
    }
}
