using System.Diagnostics;

namespace BatchNormLab.Site;

/// <summary>The outcome of an external command.</summary>
/// <param name="ExitCode">Exit code, or -1 when the command was killed at its time limit.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>True when the command was stopped at its time limit.</summary>
    public bool TimedOut => ExitCode == -1;
}

/// <summary>Runs external commands (dotnet-repl, nbconvert, chromium) with a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>; kills the process tree at <paramref name="timeout"/>.</summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' is not installed or not on PATH ({e.Message}). Run `bash .ci/setup` at the repository root.", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new ProcessResult(-1, stdout.Result, stderr.Result, clock.Elapsed);
            }
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
