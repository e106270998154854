namespace BatchNormLab.Convolution;

/// <summary>
/// The sizes of a 2-D convolution: C_in x H x W inputs, C_out filters of C_in x k x k, and the output
/// C_out x H' x W'. With K = C_in·k·k (one patch) and P = H'·W' (output locations), a batch of N images
/// becomes a K x (N·P) patch matrix and the convolution one product W·patches (see <see cref="Im2Col"/>).
/// </summary>
public sealed record ConvGeometry
{
    /// <summary>Checks the sizes and derives the output shape; errors name <paramref name="owner"/> and the fix.</summary>
    public ConvGeometry(ImageShape input, int outChannels, Window window, string owner = "conv")
    {
        Output = window.Output(input, outChannels, owner);
        Input = input;
        Window = window;
    }

    /// <summary>C_in x H x W.</summary>
    public ImageShape Input { get; }

    /// <summary>C_out x H' x W'.</summary>
    public ImageShape Output { get; }

    /// <summary>Kernel size k, stride and zero padding.</summary>
    public Window Window { get; }

    /// <summary>k, the side of a filter.</summary>
    public int Kernel => Window.Kernel;

    /// <summary>K = C_in·k·k, the values in one patch (one row of the weight matrix).</summary>
    public int PatchSize => Input.Channels * Kernel * Kernel;

    /// <summary>P = H'·W', the output locations per image.</summary>
    public int Locations => Output.Locations;

    /// <inheritdoc/>
    public override string ToString() => $"{Input} -> {Output} ({Window})";
}
