using System.Text;
using System.Text.RegularExpressions;
using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>
/// Turns an XPlot.Plotly chart into a div + script that draws once plotly.js is on the page.
/// </summary>
/// <remarks>
/// Where plotly.js comes from:
/// in VS Code the first chart of a kernel session carries the pinned bundle from the repository's
/// node_modules (installed by .ci/setup) inline, once; every later chart finds <c>window.Plotly</c>.
/// For the static site the page loads plotly.js itself (a relative URL), so the build sets
/// <c>BATCHNORMLAB_PLOTLY=page</c> and charts carry no bundle. The bundle runs with <c>define</c>,
/// <c>module</c> and <c>exports</c> hidden: a page that also loads require.js would otherwise
/// register plotly.js as an AMD module and leave <c>Plotly</c> undefined.
/// </remarks>
public static partial class PlotlyHtml
{
    /// <summary>Environment variable: <c>page</c> means the page provides plotly.js (static site build).</summary>
    public const string ModeVariable = "BATCHNORMLAB_PLOTLY";

    /// <summary>The npm package and file the bundle is read from (version pinned in package.json).</summary>
    public const string BundleRelativePath = "node_modules/plotly.js-dist-min/plotly.min.js";

    private static bool _bundleSent;
    private static readonly Lazy<string?> BundlePath = new(FindBundle);

    /// <summary>Where charts get plotly.js in this process, in words.</summary>
    public static string SourceDescription =>
        PageProvidesPlotly ? "provided by the page (site build)"
        : BundlePath.Value is { } p ? $"inline from {BundleRelativePath} (sent with the first chart)"
        : $"NOT FOUND ({BundleRelativePath}); run `bash .ci/setup` at the repository root, then restart the kernel";

    private static bool PageProvidesPlotly =>
        string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "page", StringComparison.OrdinalIgnoreCase);

    /// <summary>The HTML for <paramref name="chart"/>: a div and a script that waits for plotly.js.</summary>
    public static string Render(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var inline = chart.GetInlineHtml();
        var div = DivRegex().Match(inline);
        var script = ScriptRegex().Match(inline);
        if (!div.Success || !script.Success)
            throw new InvalidOperationException("XPlot.Plotly's inline HTML has an unexpected shape; cannot render the chart.");
        var id = div.Groups["id"].Value;
        var sb = new StringBuilder();
        if (!PageProvidesPlotly && !_bundleSent && BundlePath.Value is { } path)
        {
            sb.Append("<script>(function(define, module, exports){\n")
              .Append(File.ReadAllText(path))
              .Append("\n}).call(window);</script>\n");
            _bundleSent = true;
        }
        sb.Append("<div class=\"bnl-chart\" id=\"").Append(id).Append("\" style=\"width: 100%; max-width: 900px; height: ")
          .Append(HeightOf(div.Value)).Append(";\"></div>\n");
        // The chart's own script runs in a function (XPlot declares globals) once Plotly exists.
        sb.Append("<script>(function(){\n  var draw = function(){\n")
          .Append(script.Groups["body"].Value.Trim())
          .Append("\n  };\n  var tries = 0;\n  var wait = function(){\n    if (window.Plotly) { draw(); return; }\n")
          .Append("    if (++tries > 200) { document.getElementById('").Append(id)
          .Append("').textContent = 'plotly.js did not load: run bash .ci/setup and restart the kernel.'; return; }\n")
          .Append("    setTimeout(wait, 50);\n  };\n  wait();\n})();</script>");
        return sb.ToString();
    }

    private static string HeightOf(string div)
    {
        var m = HeightRegex().Match(div);
        return m.Success ? m.Groups[1].Value : "500px";
    }

    private static string? FindBundle()
    {
        // The assembly sits in lib/BatchNormLab.Notebooks/bin/<config>/net10.0/; the notebook's folder
        // (the kernel's working directory) is notebooks/. Either leads up to the repository root.
        var here = typeof(PlotlyHtml).Assembly.Location;
        var starts = new[] { string.IsNullOrEmpty(here) ? null : Path.GetDirectoryName(here), Directory.GetCurrentDirectory() };
        foreach (var start in starts)
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, BundleRelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    [GeneratedRegex("<div id=\"(?<id>[^\"]+)\"[^>]*></div>")]
    private static partial Regex DivRegex();

    [GeneratedRegex("<script>(?<body>.*)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptRegex();

    [GeneratedRegex("height:\\s*([0-9]+px)")]
    private static partial Regex HeightRegex();
}
