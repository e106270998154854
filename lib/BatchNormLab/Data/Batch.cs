using BatchNormLab.Tensors;

namespace BatchNormLab.Data;

/// <summary>
/// One minibatch: <see cref="Images"/> (B x D) and <see cref="Labels"/> (B). A batch source refills
/// the same instance on every call, so copy what you need to keep past the next batch.
/// </summary>
public sealed class Batch
{
    /// <summary>Creates an empty batch of <paramref name="size"/> examples with <paramref name="features"/> inputs each.</summary>
    public Batch(int size, int features)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "A batch needs at least one example.");
        Images = new Matrix<float>(size, features);
        Labels = new int[size];
        Indices = new int[size];
    }

    /// <summary>The inputs, B x D.</summary>
    public Matrix<float> Images { get; }

    /// <summary>The class of each row.</summary>
    public int[] Labels { get; }

    /// <summary>The index of each row in its source data set (-1 where a source builds examples itself).</summary>
    public int[] Indices { get; }

    /// <summary>B, the number of examples.</summary>
    public int Size => Labels.Length;

    /// <summary>0-based epoch this batch belongs to.</summary>
    public int Epoch { get; set; }

    /// <summary>0-based training step that drew this batch (the number of batches drawn before it).</summary>
    public long Step { get; set; }
}
