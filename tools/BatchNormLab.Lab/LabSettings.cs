using BatchNormLab.Models;

namespace BatchNormLab.Lab;

/// <summary>What the reader chooses before pressing start (the learning rate may also change while training).</summary>
public sealed record LabSettings
{
    /// <summary>Train the network without batch norm.</summary>
    public bool Plain { get; init; } = true;

    /// <summary>Train the network with batch norm before every sigmoid.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>η of plain SGD (the paper's Figure 1 uses no momentum).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Examples per minibatch, m (at least 2: batch norm cannot normalise one example in training mode).</summary>
    public int BatchSize { get; init; } = 60;

    /// <summary>Standard deviation of the Gaussian initial weights.</summary>
    public double InitScale { get; init; } = WeightInit.DefaultSmallStd;

    /// <summary>α of the running statistics: running ← (1 − α)·running + α·batch.</summary>
    public double Momentum { get; init; } = 0.1;

    /// <summary>Seed of the initial weights (the same for both networks) and of the batch order (the same batches for both).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Batches sorted by class (mostly one class each) instead of shuffled.</summary>
    public bool SortedByClass { get; init; }

    /// <summary>The hidden layer (1 to 3) whose sigmoid inputs the histogram shows.</summary>
    public int HistogramLayer { get; init; } = 3;

    /// <summary>What is wrong with these settings, in words a reader can act on, or null.</summary>
    public string? Problem()
    {
        if (!Plain && !BatchNorm) return "Choose at least one network: without BN, with BN, or both.";
        if (!(LearningRate > 0) || LearningRate > 100) return "The learning rate must be above 0 and at most 100.";
        if (BatchSize < 2 || BatchSize > 1000) return "The batch size must be from 2 to 1,000 (batch norm cannot normalise a batch of one).";
        if (!(InitScale > 0) || InitScale > 10) return "The initial-weight scale must be above 0 and at most 10.";
        if (!(Momentum > 0) || Momentum > 1) return "The momentum of the running statistics must be above 0 and at most 1.";
        if (HistogramLayer is < 1 or > 3) return "The histogram shows hidden layer 1, 2 or 3.";
        return null;
    }
}
