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
/// Mathematically the layer is <see cref="BatchNorm{T}"/> over C features applied to the batch laid out as
/// (N·H·W) x C (<see cref="ChannelLayout.ToChannelColumns{T}"/>): every location of every image counts as one
/// example, so the effective minibatch is m' = m·p·q = N·H·W. μ_B and the biased σ²_B over N·H·W values
/// normalise; the running variance is stored unbiased with N·H·W/(N·H·W − 1); momentum α = 0.1 and ε = 1e-5 by
/// default; inference mode uses the running estimates (Algorithm 2); the backward pass is batch norm's, and works
/// after an inference-mode forward pass too (frozen statistics). It computes that without the rearrangement, per
/// channel on the NCHW rows (<see cref="SpatialBatchNormMath"/>), whose runs of H·W values vectorise where rows of
/// C values do not; a test holds it equal to batch norm on the rearranged batch. Only the graph form of the backward
/// pass (<see cref="BatchNormBackward.Graph"/>, for teaching) still runs on the rearrangement.
/// γ, β, the running estimates and the last batch's μ_B, σ²_B live in <see cref="PerChannel"/>.
/// </remarks>
public sealed class BatchNorm2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _xHat;
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private BufferCache<T> _xColumns, _dyColumns, _dxColumns; // only for BatchNormBackward.Graph
    private readonly T[] _mean, _variance, _invStd;
    private Matrix<T>? _x;
    private Mode _lastMode;

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
        _mean = new T[shape.Channels];
        _variance = new T[shape.Channels];
        _invStd = new T[shape.Channels];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>C x H x W, the shape of one example (input and output).</summary>
    public ImageShape Shape { get; }

    /// <summary>
    /// Batch norm over the C channels: γ, β, the running estimates E[x], Var[x], ε, α, the backward form and the
    /// last training batch's μ_B, σ²_B live here. Its "batch" is the (N·H·W) x C rearrangement of the input.
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
        var y = _output.Get(x.Rows, Shape.Size);
        var bn = PerChannel;
        if (Mode == Mode.Inference)
            SpatialBatchNormMath.ForwardInference(x, Shape.Channels, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.RunningMean, bn.RunningVariance, bn.Eps, y);
        else
        {
            SpatialBatchNormMath.ForwardTraining(x, Shape.Channels, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Eps, y,
                _xHat.Get(x.Rows, Shape.Size), _mean, _variance, _invStd);
            RecordBatch(m);
        }
        _x = x;
        _lastMode = Mode;
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, Shape.Size, Name, "output gradient");
        var dx = _inputGrad.Get(x.Rows, Shape.Size);
        var bn = PerChannel;
        var (gamma, dGamma, dBeta) = (bn.Gamma.Value.Data, bn.Gamma.Grad.Data, bn.Beta.Grad.Data);
        if (_lastMode == Mode.Inference)
            SpatialBatchNormMath.BackwardInference(dy, x, Shape.Channels, gamma, bn.RunningMean, bn.RunningVariance, bn.Eps, dx, dGamma, dBeta);
        else if (bn.BackwardForm == BatchNormBackward.Graph)
        {
            // The paper's printed equations, for teaching, not speed: batch norm's own on the (N·H·W) x C rearrangement.
            var (xColumns, dyColumns, dxColumns) = (_xColumns.Get(x.Rows * Shape.Locations, Shape.Channels),
                _dyColumns.Get(x.Rows * Shape.Locations, Shape.Channels), _dxColumns.Get(x.Rows * Shape.Locations, Shape.Channels));
            ChannelLayout.ToChannelColumns(x, Shape.Channels, xColumns);
            ChannelLayout.ToChannelColumns(dy, Shape.Channels, dyColumns);
            BatchNormMath.BackwardGraph(dyColumns, xColumns, gamma, _mean, _variance, bn.Eps, dxColumns, dGamma, dBeta);
            ChannelLayout.FromChannelColumns(dxColumns, dx);
        }
        else
            SpatialBatchNormMath.BackwardClosedForm(dy, _xHat.Get(x.Rows, Shape.Size), Shape.Channels, gamma, _invStd, dx, dGamma, dBeta);
        return dx;
    }

    /// <summary>
    /// μ_B and σ²_B become <see cref="PerChannel"/>'s batch statistics, and its running estimates take them as after
    /// any training batch: E[x] ← (1 − α) E[x] + α μ_B, Var[x] ← (1 − α) Var[x] + α σ²_B m'/(m' − 1), m' = n·H·W.
    /// </summary>
    private void RecordBatch(int m) => PerChannel.RecordBatch(_mean, _variance, m);
}
