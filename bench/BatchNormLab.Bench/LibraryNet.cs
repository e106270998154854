using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Bench;

/// <summary>The paper's network trained with the library: forward, softmax cross-entropy, backward, SGD.</summary>
internal sealed class LibraryNet
{
    private readonly BenchData _data;
    private readonly int _batch;
    private readonly BatchOrder _order;
    private readonly Matrix<float> _x;
    private readonly int[] _y;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private readonly Sgd<float> _sgd;

    public LibraryNet(BenchData data, bool batchNorm, int batch, double learningRate, int seed)
    {
        _data = data;
        _batch = batch;
        var options = new MlpOptions();
        Net = Mlp<float>.Create(batchNorm ? options.WithBatchNorm() : options, seed);
        Net.Mode = Mode.Training;
        _order = new BatchOrder(data.TrainCount, seed);
        _x = new Matrix<float>(batch, data.Features);
        _y = new int[batch];
        _sgd = new Sgd<float>(learningRate);
    }

    public Mlp<float> Net { get; }

    public float LastLoss { get; private set; }

    /// <summary>One SGD step on the next minibatch.</summary>
    public void Step()
    {
        var idx = _order.Next(_batch);
        var d = _data.Features;
        for (var r = 0; r < idx.Length; r++)
        {
            _data.TrainX.AsSpan(idx[r] * d, d).CopyTo(_x.Row(r));
            _y[r] = _data.TrainY[idx[r]];
        }
        var logits = Net.Forward(_x);
        LastLoss = _loss.Forward(logits, _y);
        Net.Backward(_loss.Backward());
        _sgd.Step(Net.Parameters);
    }

    /// <summary>Test accuracy in inference mode, 1,000 examples per forward pass.</summary>
    public double TestAccuracy()
    {
        Net.Mode = Mode.Inference;
        var correct = 0;
        const int chunk = 1000;
        var d = _data.Features;
        for (var s = 0; s < _data.TestCount; s += chunk)
        {
            var n = Math.Min(chunk, _data.TestCount - s);
            var x = new Matrix<float>(n, d, _data.TestX.AsSpan(s * d, n * d).ToArray());
            var logits = Net.Forward(x);
            for (var i = 0; i < n; i++)
            {
                var row = logits.Row(i);
                var best = 0;
                for (var j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
                if (best == _data.TestY[s + i]) correct++;
            }
        }
        Net.Mode = Mode.Training;
        return (double)correct / _data.TestCount;
    }
}
