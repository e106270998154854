using System.IO.Compression;
using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class FashionMnistTests
{
    private static string RepoData => FashionMnist.FindDataDirectory();

    // Decodes a gzipped file with nothing but GZipStream: an independent view of the raw bytes.
    private static byte[] Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Finds_the_repository_data_folder_from_the_test_binaries()
    {
        var dir = FashionMnist.FindDataDirectory(AppContext.BaseDirectory);
        Assert.True(File.Exists(Path.Combine(dir, "..", "BatchNormLab.sln")));
        Assert.All(FashionMnist.Files, f => Assert.True(File.Exists(Path.Combine(dir, f.FileName)), f.FileName));
    }

    [Fact]
    public void Finds_a_data_folder_walking_up_from_a_nested_directory()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.File("data"));
        File.WriteAllBytes(Path.Combine(root.File("data"), FashionMnist.TestLabels.FileName), [0]);
        var nested = Directory.CreateDirectory(root.File(Path.Combine("notebooks", "deep", "er"))).FullName;
        Assert.Equal(Path.GetFullPath(root.File("data")), FashionMnist.FindDataDirectory(nested));
    }

    [Fact]
    public void Reports_where_it_looked_when_there_is_no_data_folder()
    {
        using var root = new TempDirectory();
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.FindDataDirectory(root.Path));
        Assert.Contains(root.Path, e.Message);
        Assert.Contains("data/", e.Message);
    }

    [Fact]
    public void Real_files_load_with_the_right_shapes_counts_and_classes()
    {
        var data = FashionMnist.Load();
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(784, data.Train.Features);
        Assert.Equal(784, data.Test.Features);
        Assert.Equal(10, data.Train.ClassCount);
        Assert.Equal("Ankle boot", data.Train.ClassNames[9]);
        Assert.All(data.Train.ClassCounts(), c => Assert.Equal(6_000, c));
        Assert.All(data.Test.ClassCounts(), c => Assert.Equal(1_000, c));
        Assert.Equal(0f, data.Train.Images.Data.Min());
        Assert.Equal(1f, data.Train.Images.Data.Max());
    }

    [Fact]
    public void Loaded_values_match_the_raw_bytes()
    {
        var data = FashionMnist.Load();
        var rawLabels = Gunzip(Path.Combine(RepoData, FashionMnist.TestLabels.FileName));
        Assert.Equal(rawLabels.Skip(8).Select(b => (int)b), data.Test.Labels);
        var rawImages = Gunzip(Path.Combine(RepoData, FashionMnist.TestImages.FileName));
        foreach (var i in new[] { 0, 1, 4_999, 9_999 })
            for (var j = 0; j < 784; j++)
                Assert.Equal(rawImages[16 + i * 784 + j] / 255f, data.Test.Images[i, j]);
    }

    [Fact]
    public void Both_splits_keep_their_pixel_bytes_and_they_match_the_floats()
    {
        var data = FashionMnist.Load();
        foreach (var d in new[] { data.Train, data.Test })
        {
            var pixels = d.Pixels;
            Assert.NotNull(pixels);
            Assert.Equal(d.Images.Data.Length, pixels.Length);
            var floats = d.Images.Data;
            var mismatches = 0;
            for (var i = 0; i < pixels.Length; i++)
                if (BitConverter.SingleToInt32Bits(pixels[i] / 255f) != BitConverter.SingleToInt32Bits(floats[i])) mismatches++;
            Assert.Equal(0, mismatches);
        }
    }

    [Fact]
    public void A_second_load_is_served_from_the_cache()
    {
        Assert.Same(FashionMnist.Load().Train, FashionMnist.Load().Train);
    }

    // A copy of data/ where every file is a symbolic link to the real one except those the test damages.
    private static TempDirectory LinkedCopy()
    {
        var dir = new TempDirectory();
        foreach (var f in FashionMnist.Files)
            File.CreateSymbolicLink(dir.File(f.FileName), Path.Combine(RepoData, f.FileName));
        return dir;
    }

    [Fact]
    public void A_missing_file_is_named_with_what_to_do()
    {
        using var dir = LinkedCopy();
        File.Delete(dir.File(FashionMnist.TrainLabels.FileName));
        var e = Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("train-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("missing", e.Message);
        Assert.Contains("git checkout -- data/train-labels-idx1-ubyte.gz", e.Message);
        Assert.Equal(dir.File(FashionMnist.TrainLabels.FileName), e.FilePath);
    }

    [Fact]
    public void A_truncated_file_is_named_with_its_size()
    {
        using var dir = LinkedCopy();
        var name = FashionMnist.TestImages.FileName;
        var target = dir.File(name);
        var bytes = File.ReadAllBytes(target);
        File.Delete(target);
        File.WriteAllBytes(target, bytes[..1_000_000]);
        var e = Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains(name, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("1,000,000", e.Message);
        Assert.Contains("4,422,079", e.Message);
        Assert.Contains("git checkout", e.Message);
    }

    [Fact]
    public void A_corrupted_file_is_named_with_its_checksum()
    {
        using var dir = LinkedCopy();
        var name = FashionMnist.TestLabels.FileName;
        var target = dir.File(name);
        var bytes = File.ReadAllBytes(target);
        File.Delete(target);
        bytes[bytes.Length / 2] ^= 0x01; // one flipped bit, same size
        File.WriteAllBytes(target, bytes);
        var e = Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains(name, e.Message);
        Assert.Contains("corrupted", e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(FashionMnist.TestLabels.Sha256, e.Message);
        Assert.Contains("git checkout", e.Message);
    }

    [Fact]
    public void A_failed_load_is_not_cached()
    {
        using var dir = LinkedCopy();
        var name = FashionMnist.TestLabels.FileName;
        File.Delete(dir.File(name));
        Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        File.CreateSymbolicLink(dir.File(name), Path.Combine(RepoData, name));
        Assert.Equal(10_000, FashionMnist.Load(dir.Path).Test.Count);
    }

    [Fact]
    public void The_shipped_files_match_the_checksums_in_the_data_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepoData, "README.md"));
        foreach (var f in FashionMnist.Files)
        {
            Assert.Contains(f.Sha256, readme);
            Assert.Contains(f.Bytes.ToString("N0"), readme);
            Assert.Equal(f.Bytes, FashionMnist.ReadVerified(RepoData, f).Length);
        }
    }
}
