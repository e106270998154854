namespace BatchNormLab.Data;

/// <summary>The order in which a <see cref="MinibatchIterator"/> visits the examples.</summary>
public enum BatchOrder
{
    /// <summary>A fresh random permutation every epoch, drawn from the iterator's seed (the right default).</summary>
    Shuffled,

    /// <summary>File order, the same every epoch: deliberately unshuffled.</summary>
    FileOrder,

    /// <summary>
    /// Sorted by class (stable: file order within a class), the same every epoch, so most minibatches
    /// hold a single class: the unrepresentative batches that hurt batch norm.
    /// </summary>
    SortedByClass,
}
