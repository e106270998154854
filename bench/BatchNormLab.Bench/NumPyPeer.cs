using System.Diagnostics;
using System.Globalization;
using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Bench;

/// <summary>
/// The second peer: the same network written by hand in NumPy (<c>bench/numpy_peer.py</c>), run by Debian's
/// python3 on OpenBLAS with one thread. The bench exports the library's initial weights and the first
/// minibatches of the same iterator once; the script trains on them (cycling) and reports its own wall and
/// thread CPU time per command, so process start and pipe traffic are not counted.
/// </summary>
internal sealed class NumPyPeer : IDisposable
{
    /// <summary>Debian's interpreter: the one python3-numpy is installed for.</summary>
    private const string Python = "/usr/bin/python3";

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

    /// <summary>Why the peer could not start, or null if it can: checked once, before any case.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Python)) return $"{Python} not found (Debian's python3)";
        if (!File.Exists(Script)) return $"{Script} not found";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import numpy"]) { RedirectStandardError = true })!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : "NumPy does not import (apt-get install python3-numpy libopenblas0-pthread): " + err.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} does not start: {e.Message}";
        }
    }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "numpy_peer.py");

    /// <summary>
    /// Exports <paramref name="weights"/> (each in x out, the dense layers in order) and the first minibatches
    /// of a fresh <see cref="MinibatchIterator"/> with the library's seed, then starts the script on them.
    /// </summary>
    public static NumPyPeer Start(Dataset train, int[] sizes, IReadOnlyList<Matrix<float>> weights, bool batchNorm, int batch,
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

        var start = new ProcessStartInfo(Python, [Script, folder])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // One thread, as the other contenders; the same for the other BLAS back ends Debian may switch to.
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["MKL_NUM_THREADS"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var banner = process.StandardOutput.ReadLine();
        if (banner is null || !banner.StartsWith("ready ", StringComparison.Ordinal))
            throw new InvalidOperationException($"numpy_peer.py failed to start (said: {banner ?? "nothing"}); run it by hand: {Python} {Script} {folder}");
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
