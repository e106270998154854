using BatchNormLab.Layers;
using BatchNormLab.Data;
using BatchNormLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BatchNormLab.Bench;

/// <summary>
/// The same network in the peer, TorchSharp (libtorch CPU, one thread): same layers, same initial
/// weights (copied from the library's network), the same minibatches (the library's iterator, same
/// seed, copied into a tensor each step as a .NET data pipeline feeds torch), plain SGD.
/// </summary>
internal sealed class TorchNet : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _sgd;
    private readonly MinibatchIterator _batches;

    public TorchNet(Dataset data, Sequential<float> init, bool batchNorm, int batch, double learningRate, int seed)
    {
        var initDense = init.LayersOf<Dense<float>>();
        int[] sizes = [initDense[0].InputSize, .. initDense.Select(d => d.OutputSize)];
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var l = 0; l < sizes.Length - 2; l++)
        {
            layers.Add(($"dense{l + 1}", nn.Linear(sizes[l], sizes[l + 1], hasBias: !batchNorm)));
            if (batchNorm) layers.Add(($"bn{l + 1}", nn.BatchNorm1d(sizes[l + 1], eps: 1e-5, momentum: 0.1)));
            layers.Add(($"sigmoid{l + 1}", nn.Sigmoid()));
        }
        layers.Add(($"dense{sizes.Length - 1}", nn.Linear(sizes[^2], sizes[^1], hasBias: true)));
        _model = nn.Sequential(layers);
        using (no_grad())
        {
            // The library stores W as in x out; torch's Linear as out x in.
            var linears = _model.modules().OfType<Linear>().ToList();
            var dense = initDense;
            for (var i = 0; i < linears.Count; i++)
            {
                var w = dense[i].Weights.Value;
                linears[i].weight!.copy_(tensor(w.Data, [w.Rows, w.Cols]).t());
                linears[i].bias?.zero_();
            }
        }
        _model.train();
        _sgd = optim.SGD(_model.parameters(), learningRate);
        // The library's own iterator with the same seed: both contenders see the same minibatches.
        _batches = new MinibatchIterator(data, batch, BatchOrder.Shuffled, seed);
        _labels = new long[batch];
    }

    private readonly long[] _labels;

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
        var x = tensor(batch.Images.Data, [batch.Size, batch.Images.Cols]);
        var y = tensor(_labels);
        _sgd.zero_grad();
        var loss = nn.functional.cross_entropy(_model.forward(x), y);
        loss.backward();
        _sgd.step();
        if (readLoss) LastLoss = loss.item<float>();
    }

    public void Dispose() => _model.Dispose();
}
