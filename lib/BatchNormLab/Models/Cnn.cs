using System.Numerics;
using BatchNormLab.Activations;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Models;

/// <summary>
/// Builds small convolutional networks as <see cref="Sequential{T}"/> models: per block conv → BatchNorm2d
/// (optional; the conv then has no bias, β replaces it) → ReLU → 2x2 max pooling; then a dense layer from the
/// last block's C·H·W values (flattened NCHW, as PyTorch's <c>flatten</c>) to the logits. Layer names: conv1,
/// bn1, relu1, pool1, conv2, …, dense.
/// </summary>
public static class Cnn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Builds the network; every weight is drawn from <paramref name="rng"/>, layer by layer.</summary>
    public static Sequential<T> Create(CnnOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (options.Channels is null || options.Channels.Length == 0 || options.Channels.Any(c => c <= 0))
            throw new ArgumentException($"A CNN needs at least one block with a positive channel count; got [{string.Join(", ", options.Channels ?? [])}].", nameof(options));
        if (options.Kernel <= 0 || options.Kernel % 2 == 0)
            throw new ArgumentException($"The kernel must be odd so that padding (k − 1)/2 keeps the map size; got {options.Kernel}.", nameof(options));
        if (options.Classes <= 0) throw new ArgumentException($"The number of classes must be positive; got {options.Classes}.", nameof(options));
        var layers = new List<ILayer<T>>();
        var shape = options.Input;
        for (var b = 0; b < options.Channels.Length; b++)
        {
            var n = b + 1;
            var conv = Conv2d<T>.Create($"conv{n}", shape, options.Channels[b], new Window(options.Kernel, 1, options.Kernel / 2),
                bias: !options.BatchNorm, options.Init, options.InitScale, rng);
            layers.Add(conv);
            if (options.BatchNorm) layers.Add(new BatchNorm2d<T>($"bn{n}", conv.OutputShape, options.BatchNormEps, options.BatchNormMomentum));
            layers.Add(new ActivationLayer<T>($"relu{n}", Activation.ReLU));
            var pool = new MaxPool2d<T>($"pool{n}", conv.OutputShape, 2);
            layers.Add(pool);
            shape = pool.OutputShape;
        }
        layers.Add(new Dense<T>("dense", WeightInit.Create<T>(options.Init, shape.Size, options.Classes, options.InitScale, rng), bias: true));
        // Nobody needs ∂ℓ/∂(input images): the first convolution skips its col2im.
        ((Conv2d<T>)layers[0]).ComputeInputGradient = false;
        return new Sequential<T>(options.Input.Size, options.Classes, layers);
    }

    /// <summary>Builds the network from a seed.</summary>
    public static Sequential<T> Create(CnnOptions options, int seed) => Create(options, new Random(seed));
}
