using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>
/// One panel of a <see cref="PanelCharts"/> chart: percentile bands with middle lines, plus optional thin
/// grey lines behind them (e.g. every unit's median, to show where one unit sits among all).
/// </summary>
/// <param name="Title">Shown above the panel, e.g. "(b) without BN".</param>
/// <param name="Bands">Bands drawn in the palette's colours, in order.</param>
/// <param name="Background">Thin grey lines without legend entries, drawn first.</param>
/// <param name="FirstColor">Palette index of the first band (so a series keeps its colour across panels: 0 blue, 1 red, 2 green, 3 orange).</param>
public sealed record Panel(string Title, IReadOnlyList<BandSeries> Bands, IReadOnlyList<Series>? Background = null, int FirstColor = 0);

/// <summary>
/// Charts laid out as the paper's Figure 1: one or two panels side by side on one shared y range (so (b)
/// and (c) can be compared by eye), and an optional logarithmic step axis (so the first few hundred steps,
/// where the networks differ most, are not squeezed into the first pixels).
/// </summary>
public static class PanelCharts
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>
    /// One or two panels on the y range [<paramref name="yMin"/>, <paramref name="yMax"/>], shared by both.
    /// With <paramref name="logX"/> the x axis is logarithmic and points at x ≤ 0 are left out (log 0 is undefined).
    /// </summary>
    public static PlotlyChart Panels(string title, string xTitle, string yTitle, double yMin, double yMax, bool logX, params Panel[] panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Length is < 1 or > 2) throw new ArgumentException($"PanelCharts draws one or two panels, not {panels.Length}.", nameof(panels));
        if (!(yMax > yMin)) throw new ArgumentOutOfRangeException(nameof(yMax), yMax, $"The y range needs yMax > yMin ({yMin}).");
        var traces = new List<Trace>();
        for (var p = 0; p < panels.Length; p++)
        {
            var (xa, ya) = p == 0 ? ("x", "y") : ("x2", "y2");
            foreach (var s in panels[p].Background ?? [])
            {
                var (x, y) = Points(s.Name, s.X, s.Y, logX);
                traces.Add(new Scatter { x = x, y = y, name = s.Name, mode = "lines", xaxis = xa, yaxis = ya, showlegend = false, hoverinfo = "skip", line = new Line { color = "rgba(120,120,120,0.25)", width = 0.7 } });
            }
            for (var i = 0; i < panels[p].Bands.Count; i++)
            {
                var b = panels[p].Bands[i];
                var color = Palette[(i + panels[p].FirstColor) % Palette.Length];
                var (x, lower) = Points(b.Name, b.X, b.Lower, logX);
                var (_, middle) = Points(b.Name, b.X, b.Middle, logX);
                var (_, upper) = Points(b.Name, b.X, b.Upper, logX);
                var legend = p == 0 || panels[0].Bands.All(o => o.Name != b.Name);
                traces.Add(new Scatter { x = x, y = lower, name = b.Name + " lower", mode = "lines", xaxis = xa, yaxis = ya, showlegend = false, legendgroup = b.Name, line = new Line { color = color, width = 0.5 } });
                traces.Add(new Scatter { x = x, y = upper, name = b.Name + " band", mode = "lines", xaxis = xa, yaxis = ya, showlegend = false, legendgroup = b.Name, fill = "tonexty", fillcolor = Transparent(color), line = new Line { color = color, width = 0.5 } });
                traces.Add(new Scatter { x = x, y = middle, name = b.Name, mode = "lines", xaxis = xa, yaxis = ya, showlegend = legend, legendgroup = b.Name, line = new Line { color = color, width = 2 } });
            }
        }
        var two = panels.Length == 2;
        var layout = new Layout.Layout
        {
            title = title,
            showlegend = true,
            legend = new Legend { orientation = "h", x = 0, y = -0.22 },
            margin = new Margin { l = 55, r = 15, t = 70, b = 80 },
            xaxis = Axis(xTitle, logX, two ? [0, 0.47] : [0, 1], "y"),
            yaxis = new Yaxis { title = yTitle, range = new[] { yMin, yMax }, zeroline = true },
            annotations = panels.Select((p, i) => new Annotation
            {
                text = p.Title, showarrow = false, xref = "paper", yref = "paper", xanchor = "center", yanchor = "bottom",
                x = two ? (i == 0 ? 0.235 : 0.765) : 0.5, y = 1.0,
            }).ToArray(),
        };
        if (two)
        {
            layout.xaxis2 = Axis(xTitle, logX, [0.53, 1], "y2");
            layout.yaxis2 = new Yaxis { range = new[] { yMin, yMax }, anchor = "x2", showticklabels = true, zeroline = true };
        }
        var chart = Chart.Plot(traces, layout);
        chart.WithHeight(440);
        return chart;
    }

    /// <summary>A y range [min, max] covering every value of <paramref name="series"/> with a margin of <paramref name="pad"/> on each side (NaN ignored).</summary>
    public static (double Min, double Max) RangeOf(double pad, params IEnumerable<double>[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var all = series.SelectMany(s => s).Where(double.IsFinite).ToArray();
        if (all.Length == 0) throw new ArgumentException("No finite values to take a range of.", nameof(series));
        return (all.Min() - pad, all.Max() + pad);
    }

    private static Xaxis Axis(string title, bool log, double[] domain, string anchor)
    {
        var axis = new Xaxis { title = title, domain = domain, anchor = anchor };
        if (log) axis.type = "log";
        return axis;
    }

    private static (double[] X, double[] Y) Points(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool logX)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Series '{name}': {x.Count} x values but {y.Count} y values.");
        var keep = Enumerable.Range(0, x.Count).Where(i => !logX || x[i] > 0).ToArray();
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
    }

    private static string Transparent(string hex) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},0.2)";
}
