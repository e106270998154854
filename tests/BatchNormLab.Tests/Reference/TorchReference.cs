using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchNormLab.Tests.Reference;

/// <summary>One batch-norm scenario for PyTorch's BatchNorm1d, see Reference/torch_batchnorm.py.</summary>
public sealed record TorchCase(
    string Name, bool Float32, double Eps, double? Momentum, double[] Gamma, double[] Beta,
    double[][][] Warmup, double[][] X, double[][] Dy);

/// <summary>
/// What torch returned for a <see cref="TorchCase"/> (all as double; float32 values convert exactly); the Eval* gradients
/// are the backward pass of the eval-mode forward (through the running statistics).
/// </summary>
public sealed record TorchResult(
    double[][] TrainY, double[][] XGrad, double[] WeightGrad, double[] BiasGrad,
    double[] RunningMean, double[] RunningVar, double[][] EvalY,
    double[][] EvalXGrad, double[] EvalWeightGrad, double[] EvalBiasGrad);

/// <summary>
/// Runs a reference script (Reference/*.py) with Debian's PyTorch (package python3-torch): torch_batchnorm.py through
/// <see cref="Run"/>, any other through <see cref="RunScript"/>.
/// The interpreter is the first <c>python3</c> on PATH that can import torch (the script exits with 3 where it
/// cannot), or BATCHNORMLAB_PYTHON if set. Missing torch is a failure, never a skip.
/// </summary>
public static class TorchReference
{
    public const string MissingTorch =
        "Debian's PyTorch (package python3-torch) is not importable by any python3 on PATH. " +
        "Run .ci/setup (it apt-get installs python3-torch), or set BATCHNORMLAB_PYTHON to an interpreter that has torch.";

    public static (string Version, IReadOnlyList<TorchResult> Results) Run(IReadOnlyList<TorchCase> cases)
    {
        var request = JsonSerializer.Serialize(new
        {
            cases = cases.Select(c => new
            {
                dtype = c.Float32 ? "float32" : "float64",
                eps = c.Eps,
                momentum = c.Momentum,
                gamma = c.Gamma,
                beta = c.Beta,
                warmup = c.Warmup,
                x = c.X,
                dy = c.Dy,
            }),
        });
        return Parse(RunScript("torch_batchnorm.py", request));
    }

    /// <summary>
    /// Runs Reference/<paramref name="scriptName"/> with <paramref name="request"/> on stdin and returns its stdout,
    /// failing the test (never skipping it) if no interpreter can import torch or the script fails.
    /// </summary>
    public static string RunScript(string scriptName, string request)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", scriptName);
        Assert.True(File.Exists(script), $"reference script not found next to the tests: {script}");
        var tried = new List<string>();
        foreach (var python in Candidates())
        {
            var (code, stdout, stderr) = Execute(python, script, request);
            if (code == 3 || code == -1)
            {
                tried.Add($"{python} ({stderr.Trim()})");
                continue;
            }
            Assert.True(code == 0, $"{python} {script} failed with exit code {code}:\n{stderr}");
            return stdout;
        }
        Assert.Fail(MissingTorch + " Tried: " + (tried.Count == 0 ? "no python3 found" : string.Join("; ", tried)));
        throw new UnreachableException();
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

    private static (int Code, string Stdout, string Stderr) Execute(string python, string script, string stdin)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The script exited before reading its input (no torch: exit code 3); the exit code says why.
            }
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{python} {script} did not finish within 2 minutes.");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static (string, IReadOnlyList<TorchResult>) Parse(string json)
    {
        var root = JsonNode.Parse(json)!;
        static double[] Vector(JsonNode? n) => n!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        static double[][] Rows(JsonNode? n) => n!.AsArray().Select(Vector).ToArray();
        var results = root["results"]!.AsArray().Select(r => new TorchResult(
            Rows(r!["train_y"]), Rows(r["x_grad"]), Vector(r["weight_grad"]), Vector(r["bias_grad"]),
            Vector(r["running_mean"]), Vector(r["running_var"]), Rows(r["eval_y"]),
            Rows(r["eval_x_grad"]), Vector(r["eval_weight_grad"]), Vector(r["eval_bias_grad"]))).ToList();
        return (root["torch"]!.GetValue<string>(), results);
    }
}
