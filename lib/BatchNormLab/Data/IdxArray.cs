namespace BatchNormLab.Data;

/// <summary>
/// The content of one IDX file (LeCun's MNIST format): a magic number whose third byte names the
/// element type (0x08 = unsigned byte) and whose fourth byte the number of dimensions, the dimensions
/// (big-endian 32-bit), then the elements in row-major order.
/// </summary>
/// <param name="Magic">The 32-bit magic number, e.g. 0x00000803 for images, 0x00000801 for labels.</param>
/// <param name="Dimensions">The sizes, outermost first (e.g. 60000, 28, 28).</param>
/// <param name="Data">The elements as unsigned bytes.</param>
public sealed record IdxArray(int Magic, int[] Dimensions, byte[] Data)
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (image stacks).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Number of items (the first dimension).</summary>
    public int Count => Dimensions[0];

    /// <summary>Elements per item (product of the remaining dimensions; 1 for labels).</summary>
    public int ItemSize
    {
        get
        {
            var size = 1;
            for (var i = 1; i < Dimensions.Length; i++) size *= Dimensions[i];
            return size;
        }
    }
}
