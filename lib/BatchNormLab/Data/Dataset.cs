using BatchNormLab.Tensors;

namespace BatchNormLab.Data;

/// <summary>
/// A labelled data set held in memory: <see cref="Images"/> is N x D (one example per row, float),
/// <see cref="Labels"/> holds N class indices in 0..<see cref="ClassCount"/>−1.
/// </summary>
/// <remarks>
/// Data sets returned by <see cref="FashionMnist"/> are cached and shared within the process: treat
/// them as read-only and derive changed copies with <see cref="Transform"/> or <see cref="Subset"/>.
/// They also keep their pixel bytes, which <see cref="MinibatchIterator"/> reads instead of
/// <see cref="Images"/>, so a change made to <c>Images.Data</c> in place would not reach the batches.
/// </remarks>
public sealed class Dataset
{
    /// <summary>Creates a data set; <paramref name="images"/> and <paramref name="labels"/> are used as given (not copied).</summary>
    public Dataset(string name, Matrix<float> images, int[] labels, IReadOnlyList<string> classNames)
        : this(name, images, null, labels, classNames)
    {
    }

    /// <summary>
    /// Creates a data set that also holds its inputs as bytes, <paramref name="pixels"/>[i] / 255 = Images.Data[i]
    /// (the caller guarantees it; not checked, as that would read both arrays).
    /// </summary>
    internal Dataset(string name, Matrix<float> images, byte[]? pixels, int[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (labels.Length != images.Rows)
            throw new ArgumentException($"Shape mismatch: {labels.Length} labels for {images.Rows} examples ({images.Shape}).", nameof(labels));
        if (classNames.Count == 0) throw new ArgumentException("A data set needs at least one class name.", nameof(classNames));
        for (var i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label of example {i} is {labels[i]}; classes are 0..{classNames.Count - 1}.");
        if (pixels is not null && pixels.Length != images.Data.Length)
            throw new ArgumentException($"Shape mismatch: {pixels.Length} pixel bytes for {images.Data.Length} inputs ({images.Shape}).", nameof(pixels));
        Name = name;
        Images = images;
        Pixels = pixels;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>Display name, e.g. "fashion-mnist train".</summary>
    public string Name { get; }

    /// <summary>The inputs, N x D (Fashion-MNIST: pixels scaled to [0, 1], D = 784).</summary>
    public Matrix<float> Images { get; }

    /// <summary>
    /// The inputs as bytes (N x D, row-major) where they are pixels, <see cref="Images"/> = Pixels / 255; null otherwise.
    /// Why: a minibatch gathered from random rows is bound by memory traffic, and bytes are a quarter of floats.
    /// </summary>
    internal byte[]? Pixels { get; }

    /// <summary>The class of each example.</summary>
    public int[] Labels { get; }

    /// <summary>Human-readable class names; index = label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>N, the number of examples.</summary>
    public int Count => Images.Rows;

    /// <summary>D, the number of input features.</summary>
    public int Features => Images.Cols;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>How many examples each class has (index = label).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var y in Labels) counts[y]++;
        return counts;
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order (copied).</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("A subset needs at least one index.", nameof(indices));
        var images = new Matrix<float>(indices.Count, Features);
        var source = Pixels;
        var pixels = source is null ? null : new byte[images.Data.Length];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var k = indices[i];
            if ((uint)k >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), k, $"Index {k} is outside '{Name}' (0..{Count - 1}).");
            Images.Row(k).CopyTo(images.Row(i));
            if (source is not null) source.AsSpan(k * Features, Features).CopyTo(pixels!.AsSpan(i * Features, Features));
            labels[i] = Labels[k];
        }
        return new Dataset(name ?? $"{Name} subset", images, pixels, labels, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> examples (copied).</summary>
    public Dataset Take(int count)
    {
        if (count <= 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"'{Name}' has {Count} examples; take 1..{Count}.");
        return new Dataset($"{Name} first {count}", Images.SliceRows(0, count), Pixels?[..(count * Features)], Labels[..count], ClassNames);
    }

    /// <summary>The examples whose class is one of <paramref name="classes"/>, in file order (labels unchanged).</summary>
    public Dataset WhereClass(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        foreach (var c in classes)
            if ((uint)c >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(classes), c, $"Class {c} does not exist; classes are 0..{ClassCount - 1}.");
        var indices = new List<int>();
        for (var i = 0; i < Count; i++)
            if (Array.IndexOf(classes, Labels[i]) >= 0) indices.Add(i);
        if (indices.Count == 0) throw new ArgumentException($"'{Name}' has no example of class(es) {string.Join(", ", classes)}.", nameof(classes));
        return Subset(indices, $"{Name} classes {string.Join(",", classes)}");
    }

    /// <summary>A copy with <paramref name="f"/> applied to every input value (e.g. x ↦ 1 − x inverts intensities).</summary>
    public Dataset Transform(Func<float, float> f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var images = new Matrix<float>(Count, Features);
        var src = Images.Data;
        var dst = images.Data;
        for (var i = 0; i < src.Length; i++) dst[i] = f(src[i]);
        // The values change, so the copy has no byte form.
        return new Dataset(name ?? $"{Name} transformed", images, (int[])Labels.Clone(), ClassNames);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} x {Features}, {ClassCount} classes";
}
