namespace BatchNormLab.Data;

/// <summary>
/// An endless supply of minibatches for a training loop. Implementations reuse one <see cref="Batch"/>
/// (no allocation per step) and draw every random choice from a seed.
/// </summary>
public interface IBatchSource
{
    /// <summary>B, the number of examples per batch.</summary>
    int BatchSize { get; }

    /// <summary>D, the number of input features.</summary>
    int Features { get; }

    /// <summary>Fills and returns the next batch (the same instance each call).</summary>
    Batch Next();
}
