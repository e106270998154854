using System.Diagnostics;
using System.Globalization;
using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Bench;

/// <summary>
/// The second peer: the same network written by hand in NumPy (<c>bench/numpy_peer.py</c>), run by Debian's
/// python3 and python3-numpy on OpenBLAS with one thread. The bench exports the library's initial weights and the first
/// minibatches of the same iterator once; the script trains on them (cycling) and reports its own wall and
/// thread CPU time per command, so process start and pipe traffic are not counted.
/// </summary>
internal sealed class NumPyPeer : IDisposable
{
    /// <summary>Minibatches exported (the script cycles through them; the first 20 give the loss check).</summary>
    private const int ExportedBatches = 50;

    private readonly Process _process;
    private readonly string _folder;

    private NumPyPeer(Process process, string folder, string banner)
    {
        _process = process;
        _folder = folder;
        Banner = banner;
    }

    /// <summary>What the script said at start: NumPy's version and the BLAS it loaded.</summary>
    public string Banner { get; }

    /// <summary>The loss of the last step trained.</summary>
    public float LastLoss { get; private set; }

    /// <summary>
    /// The interpreter: <c>BATCHNORMLAB_PYTHON</c> if set, else the first <c>python3</c> on PATH whose NumPy is
    /// Debian's (python3-numpy, installed in dist-packages), else the first that imports NumPy at all. Null
    /// with the reason why when there is none: checked once, before any case.
    /// </summary>
    public static (string? Python, string? Missing) FindPython()
    {
        if (!File.Exists(Script)) return (null, $"{Script} not found");
        var tried = new List<string>();
        string? any = null;
        foreach (var python in Candidates())
        {
            try
            {
                var start = new ProcessStartInfo(python, ["-c", "import numpy; print(numpy.__file__)"]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var p = Process.Start(start)!;
                var file = p.StandardOutput.ReadToEnd();
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                {
                    tried.Add($"{python}: {err.Trim().Split('\n')[^1]}");
                    continue;
                }
                if (file.Contains("dist-packages", StringComparison.Ordinal)) return (python, null);
                any ??= python;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                tried.Add($"{python}: {e.Message}");
            }
        }
        return any is not null ? (any, null)
            : (null, "no python3 on PATH imports NumPy (apt-get install python3-numpy libopenblas0-pthread, or set BATCHNORMLAB_PYTHON)" +
                     (tried.Count == 0 ? "" : "; tried " + string.Join("; ", tried)));
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable("BATCHNORMLAB_PYTHON");
        if (!string.IsNullOrEmpty(fromEnv)) yield return fromEnv;
        var seen = new HashSet<string>();
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "python3");
            if (File.Exists(candidate) && seen.Add(Path.GetFullPath(candidate))) yield return candidate;
        }
    }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "numpy_peer.py");

    /// <summary>
    /// Exports <paramref name="weights"/> (each in x out, the dense layers in order) and the first minibatches
    /// of a fresh <see cref="MinibatchIterator"/> with the library's seed, then starts the script on them.
    /// </summary>
    public static NumPyPeer Start(string python, Dataset train, int[] sizes, IReadOnlyList<Matrix<float>> weights, bool batchNorm, int batch,
        double learningRate, double eps, double momentum, int seed)
    {
        var folder = Directory.CreateTempSubdirectory("batchnormlab-numpy-").FullName;
        var config = string.Join('\n',
            $"sizes={string.Join(',', sizes)}", $"batch={batch}", $"batches={ExportedBatches}", $"bn={(batchNorm ? 1 : 0)}",
            $"lr={learningRate.ToString("R", CultureInfo.InvariantCulture)}", $"eps={eps.ToString("R", CultureInfo.InvariantCulture)}",
            $"momentum={momentum.ToString("R", CultureInfo.InvariantCulture)}");
        File.WriteAllText(Path.Combine(folder, "config.txt"), config + "\n");
        for (var l = 0; l < weights.Count; l++) WriteFloats(Path.Combine(folder, $"w{l}.f32"), weights[l].Data);

        var batches = new MinibatchIterator(train, batch, BatchOrder.Shuffled, seed);
        using (var images = File.Create(Path.Combine(folder, "images.f32")))
        using (var labels = File.Create(Path.Combine(folder, "labels.i32")))
        {
            for (var i = 0; i < ExportedBatches; i++)
            {
                var b = batches.Next();
                images.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.Images.Data.AsSpan()));
                labels.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.Labels.AsSpan()));
            }
        }

        var start = new ProcessStartInfo(python, [Script, folder])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // One thread, as the other contenders; the same for the other BLAS back ends Debian may switch to.
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["MKL_NUM_THREADS"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        var banner = process.StandardOutput.ReadLine();
        if (banner is null || !banner.StartsWith("ready ", StringComparison.Ordinal))
            throw new InvalidOperationException($"numpy_peer.py failed to start (said: {banner ?? "nothing"}); run it by hand: {python} {Script} {folder}");
        return new NumPyPeer(process, folder, banner["ready ".Length..]);
    }

    /// <summary>Trains <paramref name="steps"/> steps; returns the script's own wall and CPU seconds.</summary>
    public (double Wall, double Cpu) Train(int steps)
    {
        _process.StandardInput.WriteLine($"train {steps}");
        _process.StandardInput.Flush();
        var reply = _process.StandardOutput.ReadLine()?.Split(' ');
        if (reply is not ["done", var wall, var cpu, var loss])
            throw new InvalidOperationException($"numpy_peer.py stopped answering (said: {(reply is null ? "nothing" : string.Join(' ', reply))}).");
        LastLoss = float.Parse(loss, CultureInfo.InvariantCulture);
        return (double.Parse(wall, CultureInfo.InvariantCulture), double.Parse(cpu, CultureInfo.InvariantCulture));
    }

    private static void WriteFloats(string path, float[] data) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (IOException)
        {
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
