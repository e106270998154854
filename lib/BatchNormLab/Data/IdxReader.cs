using System.Buffers.Binary;
using System.IO.Compression;

namespace BatchNormLab.Data;

/// <summary>
/// Reads IDX files of unsigned bytes, gzipped (as distributed: <c>*-ubyte.gz</c>) or plain.
/// Every format problem is reported as a <see cref="DataFileException"/> naming the file.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads <paramref name="path"/>; a name ending in ".gz" is decompressed on the fly.</summary>
    public static IdxArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataFileException(path, $"IDX file '{path}' does not exist.");
        using var file = File.OpenRead(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return Read(file, path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return Read(gzip, path);
    }

    /// <summary>Reads an (already decompressed) IDX stream; <paramref name="name"/> is used in error messages.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            Span<byte> word = stackalloc byte[4];
            ReadExactly(stream, word, name, "the magic number");
            var magic = BinaryPrimitives.ReadInt32BigEndian(word);
            if (word[0] != 0 || word[1] != 0)
                throw new DataFileException(name, $"IDX file '{name}' starts with 0x{magic:X8}, not an IDX magic number (0x000008NN). Is it the right file, and gzipped if named .gz?");
            if (word[2] != UnsignedByteType)
                throw new DataFileException(name, $"IDX file '{name}' holds element type 0x{word[2]:X2}; only unsigned bytes (0x08) are supported.");
            var rank = word[3];
            if (rank == 0) throw new DataFileException(name, $"IDX file '{name}' declares 0 dimensions.");
            var dims = new int[rank];
            long total = 1;
            for (var i = 0; i < rank; i++)
            {
                ReadExactly(stream, word, name, $"dimension {i}");
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[i] <= 0) throw new DataFileException(name, $"IDX file '{name}' declares dimension {i} = {dims[i]}; sizes must be positive.");
                total *= dims[i];
            }
            if (total > Array.MaxLength) throw new DataFileException(name, $"IDX file '{name}' declares {total} elements, more than an array can hold.");
            var data = new byte[total];
            ReadExactly(stream, data, name, $"{total} data bytes ({string.Join(" x ", dims)})");
            if (stream.ReadByte() >= 0)
                throw new DataFileException(name, $"IDX file '{name}' has bytes after the {total} its header declares ({string.Join(" x ", dims)}).");
            return new IdxArray(magic, dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(name, $"IDX file '{name}' is not valid gzip data ({e.Message}).", e);
        }
    }

    /// <summary>Reads an image stack (magic 0x00000803: count x rows x cols).</summary>
    public static IdxArray ReadImages(string path) => Expect(Read(path), IdxArray.ImagesMagic, "images", path);

    /// <summary>Reads a label vector (magic 0x00000801: count).</summary>
    public static IdxArray ReadLabels(string path) => Expect(Read(path), IdxArray.LabelsMagic, "labels", path);

    private static IdxArray Expect(IdxArray idx, int magic, string what, string path)
    {
        if (idx.Magic != magic)
            throw new DataFileException(path, $"IDX file '{path}' has magic 0x{idx.Magic:X8}; {what} need 0x{magic:X8}.");
        return idx;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
                throw new DataFileException(name, $"IDX file '{name}' ends early: {read} of {buffer.Length} bytes of {what} present (the file is truncated).");
            read += n;
        }
    }
}
