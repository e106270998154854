using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// 2-D convolution layer, PyTorch's <c>Conv2d</c> with a square kernel (no dilation, no groups): inputs are
/// N x C_in·H·W, outputs N x C_out·H'·W', NCHW per row. The weights are C_out x C_in·k·k (PyTorch's
/// C_out x C_in x k x k flattened); the bias is optional, and left out when batch norm follows (β replaces it).
/// The math is <see cref="ConvolutionMath"/> (im2col onto the fast GEMM).
/// </summary>
public sealed class Conv2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _patches;
    private BufferCache<T> _channelRows;
    private BufferCache<T> _patchGrad;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _patchesOfLastForward;

    /// <summary>Creates the layer with the given weights (C_out x C_in·k·k, not copied) and, if <paramref name="bias"/>, a zero bias.</summary>
    public Conv2d(string name, ImageShape input, int outChannels, Window window, Matrix<T> weights, bool bias)
    {
        Name = name;
        Geometry = new ConvGeometry(input, outChannels, window, name);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Rows != outChannels || weights.Cols != Geometry.PatchSize)
            throw new ArgumentException(
                $"Shape mismatch for '{name} weights': expected C_out x C_in·k·k = {outChannels}x{Geometry.PatchSize}, got {weights.Shape}.", nameof(weights));
        Weights = new Parameter<T>(name + ".W", weights);
        Bias = bias ? new Parameter<T>(name + ".b", new Matrix<T>(1, outChannels)) : null;
        Parameters = Bias is null ? [Weights] : [Weights, Bias];
    }

    /// <summary>
    /// Creates the layer with Gaussian weights drawn from <paramref name="rng"/> by <paramref name="scheme"/>, with
    /// fan_in = C_in·k·k and fan_out = C_out·k·k (PyTorch's convention for convolutions); e.g. He: N(0, 2/fan_in)·gain².
    /// </summary>
    public static Conv2d<T> Create(string name, ImageShape input, int outChannels, Window window, bool bias,
        WeightInitScheme scheme, double scale, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var g = new ConvGeometry(input, outChannels, window, name);
        var std = WeightInit.StandardDeviation(scheme, g.PatchSize, outChannels * g.Kernel * g.Kernel, scale);
        var w = new Matrix<T>(outChannels, g.PatchSize);
        for (var i = 0; i < w.Data.Length; i++) w.Data[i] = T.CreateChecked(std * WeightInit.Gaussian(rng));
        return new Conv2d<T>(name, input, outChannels, window, w, bias);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>Input, output and window sizes.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>C_in x H x W.</summary>
    public ImageShape InputShape => Geometry.Input;

    /// <summary>C_out x H' x W'.</summary>
    public ImageShape OutputShape => Geometry.Output;

    /// <summary>W, C_out x C_in·k·k.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>b, 1 x C_out, or null.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Whether <see cref="Backward"/> computes ∂ℓ/∂x (the first layer of a network does not need it).</summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The output of the last forward pass (N x C_out·H'·W', the layer's buffer), or null before any: what a probe reads.</summary>
    public Matrix<T>? LastOutput { get; private set; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, InputShape.Size, Name, "input");
        int n = x.Rows, np = n * Geometry.Locations;
        var y = _output.Get(n, OutputShape.Size);
        var patches = _patches.Get(Geometry.PatchSize, np);
        ConvolutionMath.Forward(x, Weights.Value, Bias is null ? default : Bias.Value.Data, Geometry,
            patches, _channelRows.Get(OutputShape.Channels, np), y);
        _patchesOfLastForward = patches;
        LastOutput = y;
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var patches = _patchesOfLastForward ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        var n = patches.Cols / Geometry.Locations;
        Guard.Shape(dy, n, OutputShape.Size, Name, "output gradient");
        var dx = ComputeInputGradient ? _inputGrad.Get(n, InputShape.Size) : null;
        ConvolutionMath.Backward(dy, patches, Weights.Value, Geometry, _channelRows.Get(OutputShape.Channels, patches.Cols),
            Weights.Grad, Bias is null ? default : Bias.Grad.Data, dx is null ? null : _patchGrad.Get(Geometry.PatchSize, patches.Cols), dx);
        return dx;
    }
}
