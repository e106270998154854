using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Bench;

/// <summary>The library as a user runs it: <see cref="Trainer"/> on a shuffled <see cref="MinibatchIterator"/>.</summary>
internal sealed class LibraryRun(Dataset train, bool batchNorm, int batch, double learningRate, int seed)
{
    private readonly MinibatchIterator _batches = new(train, batch, BatchOrder.Shuffled, seed);

    public Sequential<float> Net { get; } = Mlp<float>.Create(OptionsFor(batchNorm), seed);

    /// <summary>What the network is built from (sizes, BN's ε and momentum), for the peers.</summary>
    public MlpOptions Options { get; } = OptionsFor(batchNorm);

    private static MlpOptions OptionsFor(bool batchNorm) => batchNorm ? new MlpOptions().WithBatchNorm() : new MlpOptions();

    public float LastLoss { get; private set; }

    /// <summary>The dense layers' weights (in x out), first to last: the initial weights until <see cref="Train"/> runs.</summary>
    public IReadOnlyList<Tensors.Matrix<float>> InitialWeights() => Net.LayersOf<Dense<float>>().Select(d => d.Weights.Value).ToList();

    /// <summary>Trains <paramref name="steps"/> more steps (no evaluations, no probes).</summary>
    public void Train(int steps)
    {
        var h = Trainer.Train(Net, _batches, test: null, new TrainingOptions { Steps = steps, LearningRate = learningRate });
        LastLoss = h.StepLoss[^1];
    }
}
