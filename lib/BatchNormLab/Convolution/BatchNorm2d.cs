using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// Spatial batch normalisation, PyTorch's <c>BatchNorm2d</c>: one γ, β pair and one set of statistics per
/// channel, shared by every location of the feature map (the paper's §3.2). Inputs are N x C·H·W, NCHW per row.
/// </summary>
/// <remarks>
/// The layer is <see cref="BatchNorm{T}"/> over C features applied to the batch laid out as (N·H·W) x C
/// (<see cref="ChannelLayout.ToChannelColumns{T}"/>): every location of every image counts as one example, so
/// the effective minibatch is m' = m·p·q = N·H·W. Everything else follows from that one rearrangement: μ_B and
/// the biased σ²_B over N·H·W values normalise; the running variance is stored unbiased with N·H·W/(N·H·W − 1);
/// momentum α = 0.1 and ε = 1e-5 by default; inference mode uses the running estimates (Algorithm 2);
/// the backward pass is batch norm's, on the same layout.
/// </remarks>
public sealed class BatchNorm2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _columns;
    private BufferCache<T> _gradColumns;
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private int _lastRows = -1;

    /// <summary>Creates the layer for C x H x W inputs.</summary>
    /// <param name="name">Display name; the parameters are name.gamma and name.beta.</param>
    /// <param name="shape">C x H x W; C is the number of (γ, β) pairs.</param>
    /// <param name="eps">ε added to the variance (PyTorch 1e-5).</param>
    /// <param name="momentum">α, weight of the new batch in the running estimates (PyTorch 0.1); null = cumulative average.</param>
    public BatchNorm2d(string name, ImageShape shape, double eps = 1e-5, double? momentum = 0.1)
    {
        shape.Validate(name + " shape");
        Name = name;
        Shape = shape;
        PerChannel = new BatchNorm<T>(name, shape.Channels, eps, momentum);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>C x H x W, the shape of one example (input and output).</summary>
    public ImageShape Shape { get; }

    /// <summary>
    /// Batch norm over the C channels: γ, β, the running estimates E[x], Var[x], ε and α live here.
    /// Its "batch" is the (N·H·W) x C rearrangement of the input.
    /// </summary>
    public BatchNorm<T> PerChannel { get; }

    /// <inheritdoc/>
    public Mode Mode
    {
        get => PerChannel.Mode;
        set => PerChannel.Mode = value;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => PerChannel.Parameters;

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, Shape.Size, Name, "input");
        Guard.Finite(x, Name, "input");
        var m = x.Rows * Shape.Locations; // m' = m·p·q
        if (Mode == Mode.Training && m < 2)
            throw new ArgumentException(
                $"{Name}: batch norm in training mode needs more than 1 value per channel, got 1 image of {Shape.Height}x{Shape.Width} " +
                "(with one value every normalised output is 0). Use a batch of 2 or more, or set Mode = Mode.Inference.", nameof(x));
        var columns = _columns.Get(m, Shape.Channels);
        ChannelLayout.ToChannelColumns(x, Shape.Channels, columns);
        var y = _output.Get(x.Rows, Shape.Size);
        ChannelLayout.FromChannelColumns(PerChannel.Forward(columns), y);
        _lastRows = x.Rows;
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        if (_lastRows < 0) throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, _lastRows, Shape.Size, Name, "output gradient");
        var columns = _gradColumns.Get(_lastRows * Shape.Locations, Shape.Channels);
        ChannelLayout.ToChannelColumns(dy, Shape.Channels, columns);
        var dx = _inputGrad.Get(_lastRows, Shape.Size);
        ChannelLayout.FromChannelColumns(PerChannel.Backward(columns)!, dx);
        return dx;
    }
}
