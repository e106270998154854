namespace BatchNormLab.Site;

/// <summary>An executed, cleaned notebook.</summary>
/// <param name="Source">The committed notebook.</param>
/// <param name="Executed">The executed and cleaned copy.</param>
/// <param name="Title">Its first heading.</param>
/// <param name="Errors">Failed cells (empty when every cell ran).</param>
/// <param name="Elapsed">Execution wall time.</param>
/// <param name="Problem">A failure outside the cells (time limit, runner crash), or null.</param>
public sealed record ExecutedNotebook(string Source, string Executed, string Title, IReadOnlyList<CellError> Errors, TimeSpan Elapsed, string? Problem)
{
    /// <summary>True when the run finished and no cell failed.</summary>
    public bool Passed => Problem is null && Errors.Count == 0;

    /// <summary>Every failure as one line each, for test messages and the build log.</summary>
    public string Describe() =>
        $"{Path.GetFileName(Source)}: " + (Passed ? $"ok in {Elapsed.TotalSeconds:F1} s"
            : string.Join("; ", (Problem is null ? [] : new[] { Problem }).Concat(Errors.Select(e => e.ToString()))));
}

/// <summary>Runs a notebook top to bottom with dotnet-repl (from the tool manifest), headless.</summary>
public static class NotebookExecutor
{
    /// <summary>Each notebook's budget: its default parameters must run within 2 minutes on the project's 2-core machine.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    /// <summary>Hard limit after which a run is killed (above the budget, so a slow run still reports its time).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The build the notebooks load (Release or Debug): this tool's own, passed to the kernel as
    /// BATCHNORMLAB_CONFIGURATION, which notebooks/setup.csx reads. So `dotnet test` in Debug runs the
    /// notebooks on the Debug build it just made, and the main job (Release) on the Release build.
    /// </summary>
    public static string LibraryConfiguration { get; } =
        typeof(NotebookExecutor).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration is { Length: > 0 } c ? c : "Release";

    /// <summary>
    /// Executes <paramref name="notebook"/> with the working directory set to its folder (so relative
    /// <c>#r</c> paths resolve as in VS Code) and writes the cleaned result into <paramref name="outDir"/>.
    /// Charts are told that the page provides plotly.js (<c>BATCHNORMLAB_PLOTLY=page</c>).
    /// </summary>
    public static ExecutedNotebook Execute(string notebook, string outDir, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(outDir);
        var output = Path.GetFullPath(Path.Combine(outDir, Path.GetFileName(notebook)));
        if (File.Exists(output)) File.Delete(output);
        var limit = timeout ?? DefaultTimeout;
        var result = ProcessRunner.Run("dotnet",
            ["dotnet-repl", "--run", Path.GetFileName(notebook), "--exit-after-run", "--output-path", output, "--output-format", "ipynb"],
            Path.GetDirectoryName(Path.GetFullPath(notebook))!, limit,
            new Dictionary<string, string> { ["BATCHNORMLAB_PLOTLY"] = "page", ["BATCHNORMLAB_CONFIGURATION"] = LibraryConfiguration, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
        string? problem = result switch
        {
            { TimedOut: true } => $"did not finish within {limit.TotalSeconds:F0} s",
            { ExitCode: 0 or 2 } when File.Exists(output) => null,
            _ => $"dotnet-repl exited with {result.ExitCode} and wrote no notebook: {Tail(result.Error + result.Output)}",
        };
        if (!File.Exists(output))
            return new ExecutedNotebook(notebook, output, Path.GetFileNameWithoutExtension(notebook), [], result.Elapsed, problem ?? "no output notebook written");
        var clean = OutputCleaner.Clean(output);
        if (problem is null && result.ExitCode == 2 && clean.Errors.Count == 0)
            problem = "dotnet-repl reported a failed cell, but no error output was recorded";
        return new ExecutedNotebook(notebook, output, clean.Title, clean.Errors, result.Elapsed, problem);
    }

    private static string Tail(string text)
    {
        var t = text.Trim();
        return t.Length > 600 ? "…" + t[^600..] : t;
    }
}
