using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Lab;

/// <summary>One of the lab's two networks, its batches, and what has been measured on it so far.</summary>
public sealed class LabNetwork
{
    /// <summary>Hidden layers of the paper's network (784-100-100-100-10).</summary>
    public const int HiddenLayers = 3;

    internal LabNetwork(string name, bool batchNorm, LabSettings settings, Dataset train)
    {
        Name = name;
        BatchNorm = batchNorm;
        var options = new MlpOptions { InitScale = settings.InitScale, BatchNormMomentum = settings.Momentum };
        // The same seed for both: the dense layers draw the same initial weights (batch norm draws none).
        Model = Mlp<float>.Create(batchNorm ? options.WithBatchNorm() : options, settings.Seed);
        Batches = new MinibatchIterator(train, settings.BatchSize, settings.SortedByClass ? BatchOrder.SortedByClass : BatchOrder.Shuffled, settings.Seed);
        for (var l = 0; l < HiddenLayers; l++) Bands[l] = [[], [], []];
    }

    /// <summary>"without BN" or "with BN".</summary>
    public string Name { get; }

    /// <summary>Whether the network normalises before every sigmoid.</summary>
    public bool BatchNorm { get; }

    /// <summary>The network, built by the library's <see cref="Mlp{T}"/>.</summary>
    public Sequential<float> Model { get; }

    /// <summary>Its minibatches (both networks draw the same sequence).</summary>
    public MinibatchIterator Batches { get; }

    /// <summary>The step at which an update made the loss or a weight non-finite, or null.</summary>
    public int? DivergedAt { get; internal set; }

    /// <summary>Steps of the test evaluations.</summary>
    public List<int> EvaluationSteps { get; } = [];

    /// <summary>Test accuracy in inference mode (running statistics), at <see cref="EvaluationSteps"/>.</summary>
    public List<double> TestAccuracy { get; } = [];

    /// <summary>Mean test loss in inference mode.</summary>
    public List<double> TestLoss { get; } = [];

    /// <summary>Accuracy on the mode-comparison examples in training mode (each batch normalised by its own statistics).</summary>
    public List<double> TrainModeAccuracy { get; } = [];

    /// <summary>Accuracy on the same examples in inference mode.</summary>
    public List<double> InferenceModeAccuracy { get; } = [];

    /// <summary>Steps at which the sigmoid inputs were probed.</summary>
    public List<int> ProbeSteps { get; } = [];

    /// <summary>Bands[layer][level]: the 15th, 50th and 85th percentile of the layer's sigmoid inputs on the training batch.</summary>
    public List<double>[][] Bands { get; } = new List<double>[HiddenLayers][];

    /// <summary>The latest histogram of each hidden layer's sigmoid inputs.</summary>
    public HistogramSnapshot?[] Histograms { get; } = new HistogramSnapshot?[HiddenLayers];

    /// <summary>The latest test accuracy, or NaN before the first evaluation.</summary>
    public double LatestAccuracy => TestAccuracy.Count == 0 ? double.NaN : TestAccuracy[^1];

    /// <summary>The latest test loss, or NaN.</summary>
    public double LatestLoss => TestLoss.Count == 0 ? double.NaN : TestLoss[^1];

    internal void Record(int step, TrainingHistory history)
    {
        if (history.DivergedAtStep is { } d) DivergedAt = step + d;
        foreach (var layer in history.Layers)
        {
            if (layer.Pooled.Percentiles[0].Length == 0) continue;
            for (var k = 0; k < 3; k++) Bands[layer.Layer][k].Add(layer.Pooled.Percentiles[k][^1]);
        }
        if (history.ProbeSteps.Length > 0) ProbeSteps.Add(step + history.ProbeSteps[^1]);
        foreach (var h in history.Histograms) Histograms[h.Layer] = h;
    }

    internal void Evaluate(int step, Evaluator evaluator, Dataset test, Dataset compare, int batchSize)
    {
        var e = evaluator.Run(Model, test, Mode.Inference);
        EvaluationSteps.Add(step);
        TestAccuracy.Add(e.Accuracy);
        TestLoss.Add(e.Loss);
        // The same examples both ways; a training-mode evaluation restores the running estimates it touched.
        TrainModeAccuracy.Add(evaluator.Run(Model, compare, Mode.Training, batchSize).Accuracy);
        InferenceModeAccuracy.Add(evaluator.Run(Model, compare, Mode.Inference, batchSize).Accuracy);
    }
}
