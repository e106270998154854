using System.IO.Compression;
using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class IdxReaderTests
{
    // Builds an IDX file byte by byte, independently of the reader: magic, big-endian dims, data.
    private static byte[] Idx(byte rank, int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new List<byte> { 0, 0, type, rank };
        foreach (var d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static void WriteGz(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Optimal);
        gz.Write(content);
    }

    [Fact]
    public void Reads_a_hand_built_gzipped_image_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("imgs-idx3-ubyte.gz");
        // 3 images of 2 x 4; a dimension > 255 would need all four bytes, so use one with a high byte too.
        var data = Enumerable.Range(0, 24).Select(i => (byte)(i * 10 + 3)).ToArray();
        WriteGz(path, Idx(3, [3, 2, 4], data));

        var idx = IdxReader.ReadImages(path);

        Assert.Equal(IdxArray.ImagesMagic, idx.Magic);
        Assert.Equal([3, 2, 4], idx.Dimensions);
        Assert.Equal(3, idx.Count);
        Assert.Equal(8, idx.ItemSize);
        Assert.Equal(data, idx.Data);
    }

    [Fact]
    public void Reads_big_endian_dimensions_and_labels()
    {
        using var dir = new TempDirectory();
        var path = dir.File("labels-idx1-ubyte.gz");
        var data = Enumerable.Range(0, 300).Select(i => (byte)(i % 10)).ToArray(); // 300 = 0x0000012C
        WriteGz(path, Idx(1, [300], data));

        var idx = IdxReader.ReadLabels(path);

        Assert.Equal(IdxArray.LabelsMagic, idx.Magic);
        Assert.Equal([300], idx.Dimensions);
        Assert.Equal(data, idx.Data);
    }

    [Fact]
    public void Reads_an_uncompressed_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plain-idx1-ubyte");
        File.WriteAllBytes(path, Idx(1, [4], [9, 8, 7, 6]));
        Assert.Equal([9, 8, 7, 6], IdxReader.ReadLabels(path).Data);
    }

    [Fact]
    public void Labels_reader_rejects_an_image_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("imgs.gz");
        WriteGz(path, Idx(3, [1, 2, 2], [1, 2, 3, 4]));
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("0x00000801", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Short_data_is_reported_as_truncated()
    {
        using var dir = new TempDirectory();
        var path = dir.File("short.gz");
        WriteGz(path, Idx(3, [2, 2, 2], [1, 2, 3, 4, 5])); // header promises 8 bytes
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("5 of 8", e.Message);
        Assert.Contains("short.gz", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_reported()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.gz");
        WriteGz(path, Idx(1, [2], [1, 2, 3]));
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read(path));
        Assert.Contains("bytes after", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_reported()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fake.gz");
        File.WriteAllBytes(path, Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray());
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read(path));
        Assert.Contains("fake.gz", e.Message);
    }

    [Fact]
    public void Wrong_magic_and_element_type_are_reported()
    {
        using var dir = new TempDirectory();
        var path = dir.File("floats.gz");
        WriteGz(path, Idx(1, [1], [0, 0, 0, 0], type: 0x0D));
        Assert.Contains("element type 0x0D", Assert.Throws<DataFileException>(() => IdxReader.Read(path)).Message);

        var text = dir.File("text.gz");
        WriteGz(text, "hello world"u8.ToArray());
        Assert.Contains("not an IDX magic number", Assert.Throws<DataFileException>(() => IdxReader.Read(text)).Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read("no-such-file-idx1-ubyte.gz"));
        Assert.Contains("no-such-file-idx1-ubyte.gz", e.Message);
        Assert.Contains("does not exist", e.Message);
    }
}
