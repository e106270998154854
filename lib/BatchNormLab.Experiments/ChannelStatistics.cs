using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Per-channel statistics of one convolutional block over training: the mean and standard deviation of every
/// channel over the batch's N·H·W values, for the convolution's output (batch norm's input, when there is one)
/// and for the ReLU's input (the BN output, or the convolution's output without BN). Rows are the recorded
/// steps, columns the channels.
/// </summary>
/// <param name="Block">The block recorded (1 = conv1).</param>
/// <param name="Steps">The steps recorded (the network after that many updates, on that step's batch).</param>
/// <param name="ConvMean">Per step and channel: mean of the convolution's output.</param>
/// <param name="ConvStd">Per step and channel: standard deviation (biased) of the convolution's output.</param>
/// <param name="ReluMean">Per step and channel: mean of the ReLU's input.</param>
/// <param name="ReluStd">Per step and channel: standard deviation of the ReLU's input.</param>
public sealed record ChannelStatisticsSeries(int Block, int[] Steps, double[][] ConvMean, double[][] ConvStd, double[][] ReluMean, double[][] ReluStd)
{
    /// <summary>Number of channels.</summary>
    public int Channels => ConvMean.Length == 0 ? 0 : ConvMean[0].Length;

    /// <summary>The values of channel <paramref name="channel"/> over the recorded steps, from one of the four tables.</summary>
    public static double[] Channel(double[][] table, int channel)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Select(row => row[channel]).ToArray();
    }
}

/// <summary>
/// Records <see cref="ChannelStatisticsSeries"/> for one block every few steps, inside the trainer's step
/// (after the forward pass, so the layers hold that batch's values). The statistics are computed the way
/// spatial batch norm computes its own: the batch laid out as (N·H·W) x C, then per column.
/// </summary>
public sealed class ChannelStatisticsRecorder : ITrainingObserver
{
    private readonly int _every;
    private readonly List<int> _steps = [];
    private readonly List<double[]> _convMean = [], _convStd = [], _reluMean = [], _reluStd = [];
    private Matrix<float>? _columns;

    /// <summary>Records block <paramref name="block"/> (its layers conv{block} and relu{block}) every <paramref name="every"/> steps.</summary>
    public ChannelStatisticsRecorder(int block, int every)
    {
        if (block <= 0) throw new ArgumentOutOfRangeException(nameof(block), block, "Blocks are numbered from 1.");
        if (every <= 0) throw new ArgumentOutOfRangeException(nameof(every), every, "Record every 1 or more steps.");
        Block = block;
        _every = every;
    }

    /// <summary>The block recorded.</summary>
    public int Block { get; }

    /// <summary>What has been recorded so far.</summary>
    public ChannelStatisticsSeries Series => new(Block, [.. _steps], [.. _convMean], [.. _convStd], [.. _reluMean], [.. _reluStd]);

    /// <inheritdoc/>
    public void AfterForward(int step, Sequential<float> model, Batch batch, float loss)
    {
        if (step % _every != 0) return;
        var conv = model.Layers.OfType<Conv2d<float>>().FirstOrDefault(l => l.Name == $"conv{Block}")
            ?? throw new InvalidOperationException($"The model has no layer conv{Block}; record a block it has.");
        var relu = model.Layers.OfType<Activations.ActivationLayer<float>>().FirstOrDefault(l => l.Name == $"relu{Block}")
            ?? throw new InvalidOperationException($"The model has no layer relu{Block}.");
        _steps.Add(step);
        var (m, s) = Compute(conv.LastOutput!, conv.OutputShape);
        _convMean.Add(m);
        _convStd.Add(s);
        (m, s) = Compute(relu.LastInput!, conv.OutputShape);
        _reluMean.Add(m);
        _reluStd.Add(s);
    }

    /// <summary>Per-channel mean and standard deviation over N·H·W of a batch <paramref name="x"/> (N x C·H·W).</summary>
    public (double[] Mean, double[] Std) Compute(Matrix<float> x, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        var rows = x.Rows * shape.Locations;
        if (_columns is null || _columns.Rows != rows) _columns = new Matrix<float>(rows, shape.Channels);
        ChannelLayout.ToChannelColumns(x, shape.Channels, _columns);
        var mean = new float[shape.Channels];
        var variance = new float[shape.Channels];
        BatchNormMath.BatchStatistics(_columns, mean, variance);
        return (mean.Select(v => (double)v).ToArray(), variance.Select(v => Math.Sqrt(v)).ToArray());
    }
}
