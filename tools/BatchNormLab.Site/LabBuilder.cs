using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using BatchNormLab.Data;
using BatchNormLab.Lab;

namespace BatchNormLab.Site;

/// <summary>
/// Builds the live lab into <c>site/lab/</c>: publishes tools/BatchNormLab.Lab (.NET WebAssembly, trimmed, with
/// brotli and gzip copies), writes its Fashion-MNIST subset from data/ (checked against <see cref="LabDataFiles"/>),
/// and measures the lab's own training code natively for the page's about line.
/// </summary>
public static class LabBuilder
{
    /// <summary>The lab's folder under the site.</summary>
    public const string Folder = "lab";

    /// <summary>The native speed file the page reads.</summary>
    public const string NativeFile = "native.json";

    /// <summary>Publishes the lab into <paramref name="siteDir"/>/lab (replacing it) and returns that folder.</summary>
    public static string Build(RepoPaths repo, string siteDir, Action<string>? log = null)
    {
        var lab = Path.Combine(siteDir, Folder);
        var work = Directory.CreateTempSubdirectory("bnl-lab-publish-");
        try
        {
            var project = Path.Combine(repo.Root, "tools", "BatchNormLab.Lab", "BatchNormLab.Lab.csproj");
            var run = ProcessRunner.Run("dotnet", ["publish", project, "-c", "Release", "-o", work.FullName, "--nologo"], repo.Root, TimeSpan.FromMinutes(15));
            if (run.ExitCode != 0)
                throw new InvalidOperationException($"dotnet publish of the lab failed (exit {run.ExitCode}):\n{run.Output}\n{run.Error}");
            log?.Invoke($"lab      published in {run.Elapsed.TotalSeconds:F0} s");
            if (Directory.Exists(lab)) Directory.Delete(lab, recursive: true);
            CopyTree(Path.Combine(work.FullName, "wwwroot"), lab);
        }
        finally
        {
            work.Delete(recursive: true);
        }
        WriteData(repo, Path.Combine(lab, LabDataFiles.Folder));
        var native = MeasureNative(repo);
        File.WriteAllText(Path.Combine(lab, NativeFile), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["stepsPerSecond"] = Math.Round(native, 1),
            ["cpu"] = CpuModel(),
        }));
        log?.Invoke($"lab      native {native:N0} network-steps/s ({CpuModel()}); transfer {TransferBytes(lab) / 1e6:F1} MB (brotli where available)");
        return lab;
    }

    /// <summary>
    /// Writes the lab's subset (the first images of data/'s training and test files, as plain IDX) into
    /// <paramref name="dir"/>, with brotli and gzip copies; fails if a file differs from <see cref="LabDataFiles"/>.
    /// </summary>
    public static void WriteData(RepoPaths repo, string dir)
    {
        Directory.CreateDirectory(dir);
        var data = Path.Combine(repo.Root, "data");
        var sources = new[] { FashionMnist.TrainImages, FashionMnist.TrainLabels, FashionMnist.TestImages, FashionMnist.TestLabels };
        var counts = new[] { LabDataFiles.TrainCount, LabDataFiles.TrainCount, LabDataFiles.TestCount, LabDataFiles.TestCount };
        for (var i = 0; i < sources.Length; i++)
        {
            var spec = LabDataFiles.Files[i];
            var bytes = Subset(FashionMnist.ReadVerified(data, sources[i]), counts[i]);
            if (spec.Mismatch(bytes) is { } problem)
                throw new InvalidOperationException($"The lab's data file {spec.FileName} as written from data/ is {problem}: update LabDataFiles.cs (tools/BatchNormLab.Lab) if the subset changed on purpose.");
            var path = Path.Combine(dir, spec.FileName);
            File.WriteAllBytes(path, bytes);
            Compress(path, bytes);
        }
    }

    /// <summary>The first <paramref name="count"/> items of a gzipped IDX file, as a plain IDX file.</summary>
    internal static byte[] Subset(byte[] gz, int count)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var idx = IdxReader.Read(gzip, "subset");
        var header = 4 + 4 * idx.Dimensions.Length;
        var result = new byte[header + (long)count * idx.ItemSize];
        BinaryPrimitives.WriteInt32BigEndian(result, idx.Magic);
        for (var d = 0; d < idx.Dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(4 + 4 * d), d == 0 ? count : idx.Dimensions[d]);
        idx.Data.AsSpan(0, count * idx.ItemSize).CopyTo(result.AsSpan(header));
        return result;
    }

    private static void Compress(string path, byte[] bytes)
    {
        // Quality 9: within a few percent of the smallest (11) in a fraction of its time (a minute for the training images).
        using (var br = new BrotliStream(File.Create(path + ".br"), new BrotliCompressionOptions { Quality = 9 })) br.Write(bytes);
        using (var gz = new GZipStream(File.Create(path + ".gz"), CompressionLevel.SmallestSize)) gz.Write(bytes);
    }

    /// <summary>
    /// Network-steps per second of the lab's default pair (batch 60, both networks), run natively through the same
    /// <see cref="LabSession"/> the page runs, after a warm-up; one thread.
    /// </summary>
    public static double MeasureNative(RepoPaths repo, int steps = 1_000)
    {
        var data = FashionMnist.Load(Path.Combine(repo.Root, "data"));
        var (train, test) = (data.Train.Take(LabDataFiles.TrainCount), data.Test.Take(LabDataFiles.TestCount));
        var warm = new LabSession(new LabSettings(), train, test);
        while (warm.Step < 200) warm.Advance(50);
        var session = new LabSession(new LabSettings(), train, test);
        while (session.Step < steps) session.Advance(200);
        return session.StepsPerSecond;
    }

    /// <summary>Bytes a browser downloads for the lab: each file's brotli copy where one exists, else the file.</summary>
    public static long TransferBytes(string lab)
    {
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(lab, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".br", StringComparison.Ordinal) || file.EndsWith(".gz", StringComparison.Ordinal)) continue;
            var br = file + ".br";
            total += new FileInfo(File.Exists(br) ? br : file).Length;
        }
        return total;
    }

    /// <summary>The CPU's model name (Linux), or "unknown CPU".</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
