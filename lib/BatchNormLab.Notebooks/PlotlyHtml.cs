using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>
/// Turns an XPlot.Plotly chart into a figure: a chart container that fills the width of its column, the
/// chart's title as the caption, a text alternative, and a script that draws once plotly.js is on the page.
/// </summary>
/// <remarks>
/// Where plotly.js comes from:
/// in VS Code the first chart of a kernel session carries the pinned bundle from the repository's
/// node_modules (installed by .ci/setup) inline, once; every later chart finds <c>window.Plotly</c>.
/// For the static site the page loads plotly.js itself, so the build sets
/// <see cref="PageContract.PlotlyModeVariable"/> to <see cref="PageContract.PlotlyModePage"/> and charts carry
/// no bundle. The bundle runs with <c>define</c>, <c>module</c> and <c>exports</c> hidden: a page that also
/// loads require.js would otherwise register plotly.js as an AMD module and leave <c>Plotly</c> undefined.
/// The drawing script adapts to the width it gets: the legend sits above the plot, and below 560 px
/// the font shrinks; log axes get 1-2-5 ticks with full labels; colours follow the page's text colour
/// (dark mode).
/// </remarks>
public static partial class PlotlyHtml
{
    private static bool _bundleSent;
    private static readonly Lazy<string?> BundlePath = new(FindBundle);

    /// <summary>Where charts get plotly.js in this process, in words.</summary>
    public static string SourceDescription =>
        PageProvidesPlotly ? "provided by the page (site build)"
        : BundlePath.Value is { } ? $"inline from {PageContract.PlotlyRelativePath} (sent with the first chart)"
        : $"NOT FOUND ({PageContract.PlotlyRelativePath}); run `bash .ci/setup` at the repository root, then restart the kernel";

    private static bool PageProvidesPlotly =>
        string.Equals(Environment.GetEnvironmentVariable(PageContract.PlotlyModeVariable), PageContract.PlotlyModePage, StringComparison.OrdinalIgnoreCase);

    /// <summary>The HTML for <paramref name="chart"/>: a figure (chart container + caption) and a script that waits for plotly.js.</summary>
    public static string Render(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var inline = chart.GetInlineHtml();
        var div = DivRegex().Match(inline);
        var dataJson = DataRegex().Match(inline);
        var layoutJson = LayoutRegex().Match(inline);
        if (!div.Success || !dataJson.Success || !layoutJson.Success)
            throw new InvalidOperationException("XPlot.Plotly's inline HTML has an unexpected shape; cannot render the chart.");
        var id = div.Groups["id"].Value;
        var data = JsonNode.Parse(dataJson.Groups["json"].Value)!.AsArray();
        var layout = JsonNode.Parse(layoutJson.Groups["json"].Value)!.AsObject();
        var title = TitleOf(layout["title"]);
        layout.Remove("title");
        PercentAxis(layout, data);
        LogAxis(layout, data);
        var height = HeightRegex().Match(div.Value) is { Success: true } h ? h.Groups[1].Value : $"{Charts.Height}px";

        var sb = new StringBuilder();
        if (!PageProvidesPlotly && !_bundleSent && BundlePath.Value is { } path)
        {
            sb.Append("<script>(function(define, module, exports){\n")
              .Append(File.ReadAllText(path))
              .Append("\n}).call(window);</script>\n");
            _bundleSent = true;
        }
        sb.Append("<figure class=\"").Append(PageContract.FigureClass).Append("\">")
          .Append("<div class=\"").Append(PageContract.ChartClass).Append("\" id=\"").Append(id)
          .Append("\" role=\"img\" aria-label=\"").Append(WebUtility.HtmlEncode(AltText(title, layout, data)))
          .Append("\" style=\"width: 100%; height: ").Append(height).Append(";\"></div>");
        if (title.Length > 0) sb.Append("<figcaption>").Append(WebUtility.HtmlEncode(title)).Append("</figcaption>");
        sb.Append("</figure>\n<script>(function(){\n")
          .Append("var id = '").Append(id).Append("';\nvar data = ").Append(data.ToJsonString())
          .Append(";\nvar layout = ").Append(layout.ToJsonString()).Append(";\n")
          .Append(DrawScript)
          .Append("})();</script>");
        return sb.ToString();
    }

    /// <summary>
    /// A text alternative for a chart: its kind, title, axes and series, e.g. "Line chart: Test accuracy.
    /// x: training step; y: test accuracy. Series: without BN, with BN."
    /// </summary>
    internal static string AltText(string title, JsonObject layout, JsonArray data)
    {
        var types = data.Select(t => (string?)t?["type"]).Distinct().ToList();
        var kind = types.Count == 1 && types[0] == "bar" ? "Bar chart" : "Line chart";
        var names = data.Where(t => t?["showlegend"]?.GetValue<bool>() != false)
            .Select(t => (string?)t?["name"]).Where(n => !string.IsNullOrEmpty(n)).Distinct().ToList();
        var sb = new StringBuilder(kind);
        if (title.Length > 0) sb.Append(": ").Append(title);
        sb.Append('.');
        var x = TitleOf(layout["xaxis"]?["title"]);
        var y = TitleOf(layout["yaxis"]?["title"]);
        if (x.Length > 0) sb.Append(" x: ").Append(x).Append(';');
        if (y.Length > 0) sb.Append(" y: ").Append(y).Append('.');
        if (names.Count > 0) sb.Append(" Series: ").Append(string.Join(", ", names)).Append('.');
        return sb.ToString().Replace("<br>", " ", StringComparison.Ordinal);
    }

    /// <summary>
    /// An accuracy or fraction axis (title containing "accuracy" or starting with "fraction") whose values
    /// all lie in [0, 1] shows them as percentages, as the prose does.
    /// </summary>
    internal static void PercentAxis(JsonObject layout, JsonArray data)
    {
        var yTitle = TitleOf(layout["yaxis"]?["title"]);
        var isShare = yTitle.Contains("accuracy", StringComparison.OrdinalIgnoreCase) || yTitle.StartsWith("fraction", StringComparison.OrdinalIgnoreCase);
        if (!isShare) return;
        var ys = data.SelectMany(t => t?["y"] as JsonArray ?? []).Select(v => v?.GetValue<double>() ?? double.NaN).Where(double.IsFinite).ToList();
        if (ys.Count == 0 || ys.Any(v => v < 0 || v > 1)) return;
        var axis = layout["yaxis"] as JsonObject ?? new JsonObject();
        layout["yaxis"] = axis;
        axis["tickformat"] = ".0%";
        axis["hoverformat"] = ".1%";
    }

    /// <summary>
    /// A numeric x axis whose values are positive, span at least a factor of 10 and are not evenly spaced
    /// (batch sizes 2, 4, 8, 16, 60) is logarithmic, so the points do not bunch at the left.
    /// </summary>
    internal static void LogAxis(JsonObject layout, JsonArray data)
    {
        var series = data.Select(t => (t?["x"] as JsonArray ?? []).Select(v => v is JsonValue j && j.TryGetValue<double>(out var d) ? d : double.NaN).ToList()).ToList();
        var all = series.SelectMany(x => x).ToList();
        if (all.Count == 0 || all.Any(v => !double.IsFinite(v) || v <= 0) || all.Max() / all.Min() < 10) return;
        if (series.Any(x => x.Count >= 3 && Evenly(x))) return;
        if (series.All(x => x.Count < 3)) return;
        var axis = layout["xaxis"] as JsonObject ?? new JsonObject();
        layout["xaxis"] = axis;
        axis["type"] = "log";
    }

    private static bool Evenly(List<double> x)
    {
        var step = x[1] - x[0];
        return x.Zip(x.Skip(1)).All(p => Math.Abs(p.Second - p.First - step) <= 1e-9 * Math.Max(1, Math.Abs(step)));
    }

    private static string TitleOf(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => (string?)o["text"] ?? "",
        _ => "",
    };

    // Runs inside each chart's function with id, data and layout defined. Kept in one string so that a
    // chart works alone (VS Code output) as well as on the site.
    private const string DrawScript = """
        var narrowBelow = 560;
        var logTicks = function (axis, values) {
          var v = values.filter(function (x) { return x > 0 && isFinite(x); });
          if (!v.length) return;
          var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v);
          var steps = Math.log10(hi / lo) > 3 ? [1] : [1, 2, 5];
          var vals = [];
          for (var e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
            steps.forEach(function (s) { var t = s * Math.pow(10, e); if (t >= lo / 1.5 && t <= hi * 1.5) vals.push(t); });
          axis.tickvals = vals;
          axis.ticktext = vals.map(function (t) { return String(+t.toPrecision(3)); });
        };
        var style = function (el) {
          var narrow = el.clientWidth < narrowBelow;
          var cs = getComputedStyle(el);
          var fg = cs.color || '#222';
          var grid = cs.getPropertyValue('--bnl-grid').trim() || '#e5e5e5';
          layout.autosize = true;
          layout.paper_bgcolor = 'rgba(0,0,0,0)';
          layout.plot_bgcolor = 'rgba(0,0,0,0)';
          layout.font = { family: 'system-ui, -apple-system, "Segoe UI", sans-serif', size: narrow ? 11 : 13, color: fg };
          layout.margin = { l: narrow ? 46 : 60, r: narrow ? 22 : 16, t: 10, b: 10, pad: 0 };
          // Above the plot at every width (the caption carries the title): beside it, long series names
          // would squeeze the plot; below it, the legend collides with rotated category labels.
          layout.legend = { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', font: { size: narrow ? 11 : 12 } };
          ['xaxis', 'yaxis'].forEach(function (name) {
            var axis = layout[name] = layout[name] || {};
            axis.automargin = true;
            axis.gridcolor = grid;
            axis.zerolinecolor = grid;
            if (axis.type === 'log') {
              var key = name[0];
              logTicks(axis, [].concat.apply([], data.map(function (t) { return t[key] || []; })));
            }
          });
          return narrow;
        };
        var draw = function () {
          var el = document.getElementById(id);
          if (!el) return;
          var narrow = style(el);
          Plotly.newPlot(el, data, layout, { responsive: true, displaylogo: false, displayModeBar: false });
          window.addEventListener('resize', function () {
            if ((el.clientWidth < narrowBelow) !== narrow) { narrow = style(el); Plotly.react(el, data, layout); }
          });
        };
        var tries = 0;
        var wait = function () {
          if (window.Plotly) { draw(); return; }
          if (document.readyState !== 'complete') { window.addEventListener('load', wait, { once: true }); return; }
          if (++tries > 100) { document.getElementById(id).textContent = 'plotly.js did not load: run bash .ci/setup and restart the kernel.'; return; }
          setTimeout(wait, 100);
        };
        wait();

        """;

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
                var candidate = Path.Combine(dir.FullName, PageContract.PlotlyRelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    [GeneratedRegex("<div id=\"(?<id>[^\"]+)\"[^>]*></div>")]
    private static partial Regex DivRegex();

    [GeneratedRegex(@"var data = (?<json>.*?);\s*\n", RegexOptions.Singleline)]
    private static partial Regex DataRegex();

    [GeneratedRegex(@"var layout = (?<json>.*?);\s*\n", RegexOptions.Singleline)]
    private static partial Regex LayoutRegex();

    [GeneratedRegex("height:\\s*([0-9]+px)")]
    private static partial Regex HeightRegex();
}
