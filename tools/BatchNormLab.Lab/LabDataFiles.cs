using BatchNormLab.Data;

namespace BatchNormLab.Lab;

/// <summary>
/// The lab's data: the first <see cref="TrainCount"/> training and first <see cref="TestCount"/> test images of
/// Fashion-MNIST, as plain (uncompressed) IDX files that the main job writes from data/ (the server compresses
/// them in transit). The page fetches them and checks each one's size and SHA-256 against these values; the site
/// tool checks the files it writes against them too, so the two can never drift apart. Shared by both projects
/// (linked source): the lab reads, the site tool writes.
/// </summary>
public static class LabDataFiles
{
    /// <summary>Folder of the files, relative to the lab's page.</summary>
    public const string Folder = "data";

    /// <summary>Training images shipped.</summary>
    public const int TrainCount = 10_000;

    /// <summary>Test images shipped.</summary>
    public const int TestCount = 2_000;

    /// <summary>The first <see cref="TrainCount"/> training images (IDX, 16-byte header + 784 bytes each).</summary>
    public static DataFileSpec TrainImages { get; } = new("train-images-idx3-ubyte", 16 + TrainCount * 784L, "ed2e37ed5a3a57d212141a69fe0a0de5a7126ffba14ac3f7e76f5f52cc04b1f0");

    /// <summary>Their labels (IDX, 8-byte header + 1 byte each).</summary>
    public static DataFileSpec TrainLabels { get; } = new("train-labels-idx1-ubyte", 8 + TrainCount, "a69f2dad024ca220a8c4d85f621fdf929042d40c444abde2868903e9220ad517");

    /// <summary>The first <see cref="TestCount"/> test images.</summary>
    public static DataFileSpec TestImages { get; } = new("t10k-images-idx3-ubyte", 16 + TestCount * 784L, "862035b0a96959b614c9574f4c2b0ae9584ca234813e8d6d7adb7838b12ca46b");

    /// <summary>Their labels.</summary>
    public static DataFileSpec TestLabels { get; } = new("t10k-labels-idx1-ubyte", 8 + TestCount, "aa3f574d30afaf0d4d9da084a6f8541771e20693d6a97fae6e9a4953fca8f078");

    /// <summary>All four, in the order they are fetched.</summary>
    public static IReadOnlyList<DataFileSpec> Files { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
