using BatchNormLab.Convolution;

namespace BatchNormLab.Models;

/// <summary>
/// The shape of a <see cref="Cnn{T}"/>: blocks of conv (k x k, stride 1, "same" padding) → spatial BN (optional)
/// → ReLU → 2x2 max pooling, then one dense layer to the classes. Defaults: 1x28x28 images (Fashion-MNIST),
/// two blocks of 16 and 32 channels, 3x3 kernels, He initialisation, no BN.
/// </summary>
public sealed record CnnOptions
{
    /// <summary>C x H x W of one input image (the rows of a batch are images in NCHW order).</summary>
    public ImageShape Input { get; init; } = new(1, 28, 28);

    /// <summary>Output channels of each block's convolution.</summary>
    public int[] Channels { get; init; } = [16, 32];

    /// <summary>k, the side of every convolution kernel (odd, so "same" padding (k − 1)/2 keeps H x W).</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Number of classes (outputs of the dense head).</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Spatial batch norm between each convolution and its ReLU (the convolution then has no bias).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>How weights are drawn (He: suited to ReLU).</summary>
    public WeightInitScheme Init { get; init; } = WeightInitScheme.He;

    /// <summary>The gain for <see cref="Init"/> (s itself for <see cref="WeightInitScheme.SmallGaussian"/>).</summary>
    public double InitScale { get; init; } = 1;

    /// <summary>Batch norm's α (PyTorch convention); null = cumulative average.</summary>
    public double? BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Batch norm's ε.</summary>
    public double BatchNormEps { get; init; } = 1e-5;

    /// <summary>These options with spatial batch norm in every block.</summary>
    public CnnOptions WithBatchNorm() => this with { BatchNorm = true };
}
