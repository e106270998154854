namespace BatchNormLab.Experiments;

/// <summary>How the training minibatches of an experiment are put together.</summary>
public enum BatchComposition
{
    /// <summary>A fresh random permutation every epoch: each batch is a small random sample of the data (the right way).</summary>
    Shuffled,

    /// <summary>Each batch drawn from a few random classes (<see cref="FewClassBatchSource"/>): random order overall, unrepresentative batches.</summary>
    FewClasses,

    /// <summary>The training set sorted by class and never shuffled: class after class, every epoch (forgetting to shuffle).</summary>
    SortedByClass,
}
