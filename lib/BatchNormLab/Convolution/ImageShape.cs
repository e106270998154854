namespace BatchNormLab.Convolution;

/// <summary>
/// The shape of one example as a stack of feature maps: C channels of H x W values. A batch of N such
/// examples is a <see cref="Tensors.Matrix{T}"/> of N rows and C·H·W columns, each row in NCHW order
/// (channel-major, then row, then column: value (c, h, w) at column c·H·W + h·W + w), which is the order
/// PyTorch's <c>flatten</c> gives, so a dense layer reads a row as is.
/// </summary>
/// <param name="Channels">C, the number of feature maps.</param>
/// <param name="Height">H, rows per map.</param>
/// <param name="Width">W, columns per map.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>H·W, the locations per map (p·q in the paper's §3.2).</summary>
    public int Locations => Height * Width;

    /// <summary>C·H·W, the columns one example takes in a batch matrix.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Throws unless every dimension is positive; <paramref name="name"/> names the argument.</summary>
    public void Validate(string name)
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
            throw new ArgumentOutOfRangeException(name, $"An image shape needs positive channels, height and width; got {this}.");
    }

    /// <summary><see cref="Validate(string)"/> naming the argument "owner what", allocating nothing when the shape is valid (it runs on every forward pass).</summary>
    public void Validate(string owner, string what)
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0) Validate($"{owner} {what}");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
