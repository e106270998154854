using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Bench;

/// <summary>The library as a user runs it: <see cref="Trainer"/> on a shuffled <see cref="MinibatchIterator"/>.</summary>
internal sealed class LibraryRun(Dataset train, Sequential<float> net, int batch, double learningRate, int seed)
{
    private readonly MinibatchIterator _batches = new(train, batch, BatchOrder.Shuffled, seed);

    /// <summary>The network trained (its initial weights until <see cref="Train"/> runs).</summary>
    public Sequential<float> Net { get; } = net;

    public float LastLoss { get; private set; }

    /// <summary>Trains <paramref name="steps"/> more steps (no evaluations, no probes).</summary>
    public void Train(int steps)
    {
        var h = Trainer.Train(Net, _batches, test: null, new TrainingOptions { Steps = steps, LearningRate = learningRate });
        LastLoss = h.StepLoss[^1];
    }
}
