using BatchNormLab.Activations;
using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BatchNormLab.Bench;

/// <summary>
/// The same network in the peer, TorchSharp (libtorch CPU, one thread): the library's layers translated one
/// by one (dense → Linear, conv → Conv2d, batch norm → BatchNorm1d/2d, activations, max pooling), with the
/// library network's initial weights copied in, the same minibatches (the library's iterator, same seed,
/// copied into a tensor each step as a .NET data pipeline feeds torch), plain SGD.
/// </summary>
internal sealed class TorchNet : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _sgd;
    private readonly MinibatchIterator _batches;
    private readonly long[] _inputShape;
    private readonly long[] _labels;

    /// <param name="data">Training set.</param>
    /// <param name="init">The library's network before training: its layers and initial weights.</param>
    /// <param name="example">Shape of one example as the first layer takes it ([784] for the MLP, [1, 28, 28] for the CNN).</param>
    /// <param name="batch">Minibatch size.</param>
    /// <param name="learningRate">η of plain SGD.</param>
    /// <param name="seed">Seed of the minibatch order (the library's).</param>
    public TorchNet(Dataset data, Models.Sequential<float> init, long[] example, int batch, double learningRate, int seed)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        using (no_grad())
        {
            var image = example.Length > 1;
            foreach (var layer in init.Layers)
            {
                if (layer is Dense<float> && image)
                {
                    layers.Add(("flatten", nn.Flatten())); // NCHW flattened per row, as the library's rows are
                    image = false;
                }
                layers.Add((layer.Name, Translate(layer)));
            }
        }
        _model = nn.Sequential(layers);
        _model.train();
        _sgd = optim.SGD(_model.parameters(), learningRate);
        // The library's own iterator with the same seed: both contenders see the same minibatches.
        _batches = new MinibatchIterator(data, batch, BatchOrder.Shuffled, seed);
        _inputShape = [batch, .. example];
        _labels = new long[batch];
    }

    public float LastLoss { get; private set; }

    /// <summary>Trains <paramref name="steps"/> steps.</summary>
    public void Train(int steps)
    {
        for (var i = 0; i < steps; i++) Step(readLoss: i == steps - 1);
    }

    private void Step(bool readLoss)
    {
        using var scope = NewDisposeScope();
        var batch = _batches.Next();
        for (var i = 0; i < _labels.Length; i++) _labels[i] = batch.Labels[i];
        var x = tensor(batch.Images.Data, _inputShape);
        var y = tensor(_labels);
        _sgd.zero_grad();
        var loss = nn.functional.cross_entropy(_model.forward(x), y);
        loss.backward();
        _sgd.step();
        if (readLoss) LastLoss = loss.item<float>();
    }

    /// <summary>The torch module for one library layer, with the layer's current weights.</summary>
    private static nn.Module<Tensor, Tensor> Translate(ILayer<float> layer)
    {
        switch (layer)
        {
            case Dense<float> d:
            {
                var linear = nn.Linear(d.InputSize, d.OutputSize, hasBias: d.Bias is not null);
                var w = d.Weights.Value; // the library stores W as in x out; torch as out x in
                linear.weight!.copy_(tensor(w.Data, [w.Rows, w.Cols]).t());
                if (d.Bias is not null) linear.bias!.copy_(tensor(d.Bias.Value.Data));
                return linear;
            }
            case Conv2d<float> c:
            {
                var g = c.Geometry;
                var conv = nn.Conv2d(g.Input.Channels, g.Output.Channels, g.Kernel, stride: g.Window.Stride, padding: g.Window.Padding, bias: c.Bias is not null);
                // C_out x C_in·k·k is PyTorch's C_out x C_in x k x k flattened.
                conv.weight!.copy_(tensor(c.Weights.Value.Data, [g.Output.Channels, g.Input.Channels, g.Kernel, g.Kernel]));
                if (c.Bias is not null) conv.bias!.copy_(tensor(c.Bias.Value.Data));
                return conv;
            }
            case BatchNorm<float> b:
            {
                var bn = nn.BatchNorm1d(b.Features, eps: double.CreateChecked(b.Eps), momentum: Momentum(b));
                CopyAffine(b, bn.weight!, bn.bias!);
                return bn;
            }
            case BatchNorm2d<float> b:
            {
                var bn = nn.BatchNorm2d(b.PerChannel.Features, eps: double.CreateChecked(b.PerChannel.Eps), momentum: Momentum(b.PerChannel));
                CopyAffine(b.PerChannel, bn.weight!, bn.bias!);
                return bn;
            }
            case ActivationLayer<float> a:
                return a.Function switch
                {
                    Activation.Sigmoid => nn.Sigmoid(),
                    Activation.ReLU => nn.ReLU(),
                    Activation.Tanh => nn.Tanh(),
                    _ => throw new NotSupportedException($"'{a.Name}': no torch module for {a.Function}."),
                };
            case MaxPool2d<float> p:
                return nn.MaxPool2d(p.Window.Kernel, p.Window.Stride, p.Window.Padding);
            default:
                throw new NotSupportedException($"'{layer.Name}' ({layer.GetType().Name}) has no translation to TorchSharp in the bench.");
        }
    }

    private static double Momentum(BatchNorm<float> b) =>
        b.Momentum ?? throw new NotSupportedException($"'{b.Name}': the bench translates only a fixed momentum, not the cumulative average.");

    private static void CopyAffine(BatchNorm<float> b, Tensor gamma, Tensor beta)
    {
        gamma.copy_(tensor(b.Gamma.Value.Data));
        beta.copy_(tensor(b.Beta.Value.Data));
    }

    public void Dispose() => _model.Dispose();
}
