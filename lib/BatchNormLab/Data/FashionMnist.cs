using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using BatchNormLab.Tensors;

namespace BatchNormLab.Data;

/// <summary>
/// Loads Fashion-MNIST (Zalando; the original gzipped IDX files shipped in the repository's
/// <c>data/</c> folder) after checking every file's size and SHA-256. Pixels become floats in
/// [0, 1] (byte / 255), one 784-value row per image. Loaded data is cached per directory for the
/// life of the process, so a second <see cref="Load"/> is free.
/// </summary>
public static class FashionMnist
{
    /// <summary>Environment variable that, when set, names the data directory (overrides the search).</summary>
    public const string DataDirectoryVariable = "BATCHNORMLAB_DATA";

    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Inputs per image, 28 x 28.</summary>
    public const int Features = ImageSide * ImageSide;

    /// <summary>The class names; index = label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Training images (60,000 x 28 x 28).</summary>
    public static DataFileSpec TrainImages { get; } = new("train-images-idx3-ubyte.gz", 26_421_856, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7");

    /// <summary>Training labels (60,000).</summary>
    public static DataFileSpec TrainLabels { get; } = new("train-labels-idx1-ubyte.gz", 29_491, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056");

    /// <summary>Test images (10,000 x 28 x 28).</summary>
    public static DataFileSpec TestImages { get; } = new("t10k-images-idx3-ubyte.gz", 4_422_079, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa");

    /// <summary>Test labels (10,000).</summary>
    public static DataFileSpec TestLabels { get; } = new("t10k-labels-idx1-ubyte.gz", 5_125, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    /// <summary>All four files.</summary>
    public static IReadOnlyList<DataFileSpec> Files { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    private static readonly ConcurrentDictionary<string, Lazy<FashionMnistData>> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Loads both splits from <paramref name="dataDirectory"/>, or, when null, from the directory
    /// <see cref="FindDataDirectory"/> finds. Throws <see cref="DataFileException"/> naming the file and
    /// the problem if a file is missing, truncated or corrupted.
    /// </summary>
    public static FashionMnistData Load(string? dataDirectory = null)
    {
        var dir = Path.GetFullPath(dataDirectory ?? FindDataDirectory());
        var lazy = Cache.GetOrAdd(dir, d => new Lazy<FashionMnistData>(() => LoadUncached(d)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache a failure: the user may restore the file and call again.
            Cache.TryRemove(new KeyValuePair<string, Lazy<FashionMnistData>>(dir, lazy));
            throw;
        }
    }

    /// <summary>The 60,000 training examples (see <see cref="Load"/>).</summary>
    public static Dataset LoadTrain(string? dataDirectory = null) => Load(dataDirectory).Train;

    /// <summary>The 10,000 test examples (see <see cref="Load"/>).</summary>
    public static Dataset LoadTest(string? dataDirectory = null) => Load(dataDirectory).Test;

    /// <summary>
    /// Finds the repository's <c>data/</c> folder: the <see cref="DataDirectoryVariable"/> environment
    /// variable if set; otherwise the first directory named <c>data</c> holding a Fashion-MNIST file or
    /// sitting next to <c>BatchNormLab.sln</c>, walking up from <paramref name="startDirectory"/> (or,
    /// when null, from <see cref="AppContext.BaseDirectory"/> and then the current directory).
    /// Tests run from <c>bin/</c> and notebooks from <c>notebooks/</c>; both find it.
    /// </summary>
    public static string FindDataDirectory(string? startDirectory = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && startDirectory is null)
        {
            if (!Directory.Exists(fromEnvironment))
                throw new DirectoryNotFoundException($"{DataDirectoryVariable} names '{fromEnvironment}', which is not a directory.");
            return Path.GetFullPath(fromEnvironment);
        }
        string[] starts = startDirectory is not null ? [startDirectory] : [AppContext.BaseDirectory, Environment.CurrentDirectory];
        foreach (var start in starts)
        {
            for (var d = new DirectoryInfo(Path.GetFullPath(start)); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "data");
                if (!Directory.Exists(candidate)) continue;
                if (File.Exists(Path.Combine(d.FullName, "BatchNormLab.sln")) || Files.Any(f => File.Exists(Path.Combine(candidate, f.FileName))))
                    return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"Could not find the repository's data/ folder walking up from {string.Join(" or ", starts.Select(s => $"'{s}'"))}. " +
            $"Run from inside the repository, pass the folder explicitly, or set {DataDirectoryVariable}.");
    }

    /// <summary>
    /// Checks that <paramref name="spec"/>'s file in <paramref name="dataDirectory"/> exists and has
    /// the right size and SHA-256; returns its bytes. The exception names the file and the problem.
    /// </summary>
    public static byte[] ReadVerified(string dataDirectory, DataFileSpec spec)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(spec);
        var path = Path.Combine(dataDirectory, spec.FileName);
        var restore = $"Restore it from git: git checkout -- data/{spec.FileName}";
        if (!File.Exists(path))
            throw new DataFileException(path, $"Fashion-MNIST file '{spec.FileName}' is missing from '{dataDirectory}'. {restore}");
        var bytes = File.ReadAllBytes(path);
        if (spec.Mismatch(bytes) is { } problem)
            throw new DataFileException(path, $"Fashion-MNIST file '{spec.FileName}' is {problem}. {restore}");
        return bytes;
    }

    private static FashionMnistData LoadUncached(string dir)
    {
        if (!Directory.Exists(dir))
            throw new DataFileException(dir, $"Fashion-MNIST data directory '{dir}' does not exist. Restore it from git: git checkout -- data");
        // Verify all four before decoding any, in file order, so the first damaged file is the one reported.
        var reads = Files.Select(f => Task.Run(() => ReadVerified(dir, f))).ToArray();
        var raw = reads.Select(t => t.GetAwaiter().GetResult()).ToArray();
        var test = Task.Run(() => Decode("fashion-mnist test", dir, TestImages, raw[2], TestLabels, raw[3], 10_000));
        var train = Decode("fashion-mnist train", dir, TrainImages, raw[0], TrainLabels, raw[1], 60_000);
        return new FashionMnistData(train, test.GetAwaiter().GetResult(), dir);
    }

    private static Dataset Decode(string name, string dir, DataFileSpec imagesSpec, byte[] imagesGz, DataFileSpec labelsSpec, byte[] labelsGz, int expectedCount)
    {
        var imagesPath = Path.Combine(dir, imagesSpec.FileName);
        var labelsPath = Path.Combine(dir, labelsSpec.FileName);
        return ToDataset(name, Decompress(imagesGz, imagesPath), imagesPath, Decompress(labelsGz, labelsPath), labelsPath, expectedCount);
    }

    /// <summary>
    /// A data set from decoded IDX arrays of Fashion-MNIST's shape (<paramref name="expectedCount"/> images of
    /// 28 x 28 and as many labels in 0..9), pixels scaled to [0, 1]: how <see cref="Load"/> decodes its files, for
    /// files that come from elsewhere (a subset, the browser lab's download). The sources name the files in errors.
    /// The data set keeps <paramref name="images"/>' bytes (not copied) beside the floats, so minibatches read a
    /// quarter of the memory: do not change them afterwards.
    /// </summary>
    public static Dataset ToDataset(string name, IdxArray images, string imagesSource, IdxArray labels, string labelsSource, int expectedCount)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Magic != IdxArray.ImagesMagic || images.Dimensions is not [var n, ImageSide, ImageSide] || n != expectedCount)
            throw new DataFileException(imagesSource, $"'{imagesSource}' holds magic 0x{images.Magic:X8}, shape {string.Join(" x ", images.Dimensions)}; expected images {expectedCount} x 28 x 28.");
        if (labels.Magic != IdxArray.LabelsMagic || labels.Dimensions is not [var m] || m != expectedCount)
            throw new DataFileException(labelsSource, $"'{labelsSource}' holds magic 0x{labels.Magic:X8}, shape {string.Join(" x ", labels.Dimensions)}; expected {expectedCount} labels.");
        var x = new Matrix<float>(n, Features);
        ToUnitInterval(images.Data, x.Data);
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] >= ClassNames.Count)
                throw new DataFileException(labelsSource, $"'{labelsSource}' holds label {y[i]} at index {i}; Fashion-MNIST labels are 0..9.");
        }
        return new Dataset(name, x, images.Data, y, ClassNames);
    }

    /// <summary>dst[i] = src[i] / 255 (<see cref="UnitInterval.FromBytes"/>, split over cores, as this is most of a load).</summary>
    internal static void ToUnitInterval(byte[] src, float[] dst)
    {
        const int chunk = 1 << 20;
        var chunks = (src.Length + chunk - 1) / chunk;
        // A browser (WebAssembly) has one thread, where waiting for parallel work can hang: the chunks run in turn there.
        if (OperatingSystem.IsBrowser())
        {
            for (var c = 0; c < chunks; c++) Chunk(c);
            return;
        }
        Parallel.For(0, chunks, Chunk);

        void Chunk(int c)
        {
            var start = c * chunk;
            var length = Math.Min(src.Length, start + chunk) - start;
            UnitInterval.FromBytes(src.AsSpan(start, length), dst.AsSpan(start, length));
        }
    }

    private static IdxArray Decompress(byte[] gz, string path)
    {
        using var gzip = new GZipStream(new MemoryStream(gz, writable: false), CompressionMode.Decompress);
        return IdxReader.Read(gzip, path);
    }
}
