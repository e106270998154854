namespace BatchNormLab.Convolution;

/// <summary>
/// A square sliding window, as convolution and pooling use it: a k x k window moved by
/// <paramref name="Stride"/> over the input padded by <paramref name="Padding"/> on every side.
/// The output size per dimension is ⌊(n + 2·padding − k)/stride⌋ + 1 (PyTorch's formula, no dilation).
/// </summary>
/// <param name="Kernel">k, the window's side.</param>
/// <param name="Stride">Step between windows (1 for convolution, k for the usual pooling).</param>
/// <param name="Padding">Zero padding (convolution) or ignored border (pooling) on each side.</param>
public readonly record struct Window(int Kernel, int Stride = 1, int Padding = 0)
{
    /// <summary>The output shape for <paramref name="input"/> with <paramref name="outChannels"/> channels; throws a clear error if the window does not fit.</summary>
    public ImageShape Output(ImageShape input, int outChannels, string owner)
    {
        input.Validate(owner, "input shape");
        if (Kernel <= 0 || Stride <= 0 || Padding < 0)
            throw new ArgumentOutOfRangeException(nameof(Kernel),
                $"{owner}: kernel and stride must be positive and padding non-negative; got kernel {Kernel}, stride {Stride}, padding {Padding}.");
        if (outChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(outChannels), $"{owner}: needs at least one output channel; got {outChannels}.");
        if (Kernel > input.Height + 2 * Padding || Kernel > input.Width + 2 * Padding)
            throw new ArgumentException(
                $"{owner}: a {Kernel}x{Kernel} window does not fit a {input.Height}x{input.Width} input with padding {Padding}. " +
                "Use a smaller kernel or more padding.");
        return new ImageShape(outChannels, OutputSize(input.Height), OutputSize(input.Width));
    }

    /// <summary>⌊(n + 2·padding − k)/stride⌋ + 1.</summary>
    public int OutputSize(int n) => (n + 2 * Padding - Kernel) / Stride + 1;

    /// <inheritdoc/>
    public override string ToString() => $"{Kernel}x{Kernel}, stride {Stride}, padding {Padding}";
}
