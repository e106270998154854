using System.Text.Json.Nodes;
using BatchNormLab.Notebooks;

namespace BatchNormLab.Site;

/// <summary>An executed, cleaned notebook.</summary>
/// <param name="Source">The committed notebook.</param>
/// <param name="Executed">The executed and cleaned copy.</param>
/// <param name="Title">Its first heading.</param>
/// <param name="Errors">Failed cells (empty when every cell ran).</param>
/// <param name="Elapsed">The notebook's run time: first cell started to last cell done (kernel start-up not included).</param>
/// <param name="Problem">A failure outside the cells (time limit, client crash), or null.</param>
public sealed record ExecutedNotebook(string Source, string Executed, string Title, IReadOnlyList<CellError> Errors, TimeSpan Elapsed, string? Problem)
{
    /// <summary>True when the run finished and no cell failed.</summary>
    public bool Passed => Problem is null && Errors.Count == 0;

    /// <summary>Every failure as one line each, for test messages and the build log.</summary>
    public string Describe() =>
        $"{Path.GetFileName(Source)}: " + (Passed ? $"ok in {Elapsed.TotalSeconds:F1} s"
            : string.Join("; ", (Problem is null ? [] : new[] { Problem }).Concat(Errors.Select(e => e.ToString()))));
}

/// <summary>
/// Runs a notebook top to bottom in a real Jupyter client: <c>jupyter nbconvert --to notebook --execute</c>
/// on the .NET Interactive kernel (Microsoft.dotnet-interactive, the kernel VS Code's Polyglot Notebooks
/// runs), registered by .ci/setup under .tools/jupyter. Every cell runs even after one fails
/// (<c>--allow-errors</c>); failures are read from the error outputs.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Each notebook's budget: its default parameters must run within 2 minutes on the project's 2-core machine.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    /// <summary>Hard limit after which a run is killed (above the budget, so a slow run still reports its time).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The Jupyter kernel name of the C# kernel.</summary>
    public const string KernelName = ".net-csharp";

    /// <summary>
    /// The build the notebooks load (Release or Debug): this tool's own, passed to the kernel as
    /// BATCHNORMLAB_CONFIGURATION, which notebooks/setup.csx reads. So `dotnet test` in Debug runs the
    /// notebooks on the Debug build it just made, and the main job (Release) on the Release build.
    /// </summary>
    public static string LibraryConfiguration { get; } =
        typeof(NotebookExecutor).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration is { Length: > 0 } c ? c : "Release";

    /// <summary>
    /// The environment the kernel runs with: charts are told that the page provides plotly.js, and
    /// Jupyter finds the project's kernelspec.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(RepoPaths repo) => new Dictionary<string, string>
    {
        [PageContract.PlotlyModeVariable] = PageContract.PlotlyModePage,
        ["BATCHNORMLAB_CONFIGURATION"] = LibraryConfiguration,
        ["JUPYTER_PATH"] = repo.JupyterPath,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>
    /// Executes <paramref name="notebook"/> (the kernel starts in its folder, as in VS Code, so relative
    /// paths resolve the same) and writes the cleaned result into <paramref name="outDir"/>.
    /// </summary>
    public static ExecutedNotebook Execute(string notebook, string outDir, TimeSpan? timeout = null)
    {
        var repo = RepoPaths.Find(Path.GetDirectoryName(Path.GetFullPath(notebook)));
        Directory.CreateDirectory(outDir);
        var name = Path.GetFileName(notebook);
        var output = Path.GetFullPath(Path.Combine(outDir, name));
        if (File.Exists(output)) File.Delete(output);
        var limit = timeout ?? DefaultTimeout;
        var jupyter = ProcessRunner.FindOnPath("jupyter")
            ?? throw new InvalidOperationException("jupyter (Debian package jupyter-nbconvert) is not installed: run `bash .ci/setup`.");
        if (!File.Exists(Path.Combine(repo.JupyterPath, "kernels", KernelName, "kernel.json")))
            throw new InvalidOperationException($"The .NET Jupyter kernel is not registered under {repo.JupyterPath}: run `bash .ci/setup` at the repository root.");
        var result = ProcessRunner.Run(jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--allow-errors",
             $"--ExecutePreprocessor.kernel_name={KernelName}",
             $"--ExecutePreprocessor.timeout={(int)limit.TotalSeconds}", "--ExecutePreprocessor.startup_timeout=180",
             "--output-dir", Path.GetDirectoryName(output)!, "--output", name, name],
            Path.GetDirectoryName(Path.GetFullPath(notebook))!, limit + TimeSpan.FromMinutes(1), Environment(repo));
        string? problem = result switch
        {
            { TimedOut: true } => $"did not finish within {limit.TotalSeconds:F0} s",
            { ExitCode: 0 } when File.Exists(output) => null,
            _ => $"jupyter nbconvert exited with {result.ExitCode}: {Tail(result.Error + result.Output)}",
        };
        if (!File.Exists(output))
            return new ExecutedNotebook(notebook, output, Path.GetFileNameWithoutExtension(notebook), [], result.Elapsed, problem ?? "no output notebook written");
        var elapsed = CellTime(output) ?? result.Elapsed;
        var clean = OutputCleaner.Clean(output);
        return new ExecutedNotebook(notebook, output, clean.Title, clean.Errors, elapsed, problem);
    }

    /// <summary>From the first cell's start to the last cell's reply, as the client recorded them (nbclient's cell timing metadata).</summary>
    internal static TimeSpan? CellTime(string executed)
    {
        var cells = JsonNode.Parse(File.ReadAllText(executed))?["cells"]?.AsArray();
        var times = cells?.Select(c => c?["metadata"]?["execution"]).Where(e => e is not null).ToList() ?? [];
        var starts = times.Select(t => (string?)t!["iopub.execute_input"]).Where(s => s is not null).Select(s => DateTimeOffset.Parse(s!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var ends = times.Select(t => (string?)t!["shell.execute_reply"]).Where(s => s is not null).Select(s => DateTimeOffset.Parse(s!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return starts.Count == 0 || ends.Count == 0 ? null : ends.Max() - starts.Min();
    }

    private static string Tail(string text)
    {
        var t = text.Trim();
        return t.Length > 600 ? "…" + t[^600..] : t;
    }
}
