using System.Text.RegularExpressions;

namespace BatchNormLab.Site;

/// <summary>What a page looked like in a real browser.</summary>
/// <param name="Page">The page checked.</param>
/// <param name="Charts">Chart containers on the page.</param>
/// <param name="DrawnCharts">Containers plotly.js drew into (they hold a main-svg).</param>
/// <param name="MathSources">TeX fragments MathJax found.</param>
/// <param name="MathRendered">Fragments MathJax rendered.</param>
/// <param name="MathErrors">Fragments MathJax could not render.</param>
/// <param name="ErrorOutputs">Error outputs shown on the page.</param>
public sealed record PageReport(string Page, int Charts, int DrawnCharts, int MathSources, int MathRendered, int MathErrors, int ErrorOutputs)
{
    /// <summary>Every chart drawn, all math rendered, no cell errored.</summary>
    public bool Passed => DrawnCharts == Charts && MathRendered == MathSources && MathErrors == 0 && ErrorOutputs == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Path.GetFileName(Page)}: charts drawn {DrawnCharts}/{Charts}, math rendered {MathRendered}/{MathSources} ({MathErrors} errors), error outputs {ErrorOutputs}";
}

/// <summary>Opens a rendered page in headless Chromium (Debian's chromium) and reads the DOM after scripts ran.</summary>
public static partial class PageCheck
{
    /// <summary>Loads <paramref name="page"/> and counts charts drawn, math rendered and error outputs.</summary>
    public static PageReport Check(string page)
    {
        // MathJax typesets asynchronously; on a loaded machine the first dump can come too early, so
        // an incomplete page is loaded again with a longer (virtual) time budget before it counts.
        PageReport report = null!;
        foreach (var budget in new[] { 20_000, 60_000, 120_000 })
        {
            report = Count(page, DumpDom(page, budget));
            if (report.Passed) break;
        }
        return report;
    }

    private static PageReport Count(string page, string dom)
    {
        var charts = ChartDivRegex().Matches(dom).Count;
        var drawn = DrawnChartRegex().Matches(dom).Count;
        var mainSvg = MainSvgRegex().Matches(dom).Count;
        // A drawn plotly chart holds two main-svg layers; take the smaller count to be safe.
        drawn = Math.Min(drawn, mainSvg / 2);
        var mathSources = MathScriptRegex().Matches(dom).Count;
        var mathRendered = MathRenderedRegex().Matches(dom).Count;
        var mathErrors = MathErrorRegex().Matches(dom).Count;
        var errors = ErrorOutputRegex().Matches(dom).Count;
        return new PageReport(page, charts, drawn, mathSources, mathRendered, mathErrors, errors);
    }

    /// <summary>The page's DOM after its scripts ran, from <c>chromium --headless --dump-dom</c>.</summary>
    public static string DumpDom(string page, int virtualTimeBudgetMs = 20_000)
    {
        var chromium = ProcessRunner.FindOnPath("chromium") ?? ProcessRunner.FindOnPath("chromium-browser")
            ?? throw new InvalidOperationException("chromium (Debian package chromium) is not installed: run `bash .ci/setup`.");
        var profile = Directory.CreateTempSubdirectory("bnl-chromium-");
        try
        {
            var result = ProcessRunner.Run(chromium,
                ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", $"--user-data-dir={profile.FullName}",
                 "--allow-file-access-from-files", $"--virtual-time-budget={virtualTimeBudgetMs}", "--dump-dom", new Uri(Path.GetFullPath(page)).AbsoluteUri],
                Path.GetDirectoryName(Path.GetFullPath(page))!, TimeSpan.FromMinutes(2));
            if (result.ExitCode != 0 || result.Output.Length == 0)
                throw new InvalidOperationException($"chromium could not load {page} (exit {result.ExitCode}): {result.Error.Trim()}");
            return result.Output;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [GeneratedRegex("<div class=\"bnl-chart[\" ]")]
    private static partial Regex ChartDivRegex();

    [GeneratedRegex("<div class=\"bnl-chart js-plotly-plot\"")]
    private static partial Regex DrawnChartRegex();

    [GeneratedRegex("class=\"main-svg\"")]
    private static partial Regex MainSvgRegex();

    [GeneratedRegex("<script type=\"math/tex")]
    private static partial Regex MathScriptRegex();

    [GeneratedRegex("id=\"MathJax-Element-[0-9]+-Frame\"")]
    private static partial Regex MathRenderedRegex();

    [GeneratedRegex("class=\"[^\"]*(MathJax_Error|mjx-merror)[^\"]*\"")]
    private static partial Regex MathErrorRegex();

    [GeneratedRegex("data-mime-type=\"application/vnd\\.jupyter\\.stderr\"")]
    private static partial Regex ErrorOutputRegex();
}
