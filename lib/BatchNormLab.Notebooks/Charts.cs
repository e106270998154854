using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>One line of a chart: x and y of equal length, and a legend name.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values, one per x.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>A shaded band (e.g. the 15th..85th percentile) around a middle line (e.g. the median).</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">x values.</param>
/// <param name="Lower">Lower edge, one per x.</param>
/// <param name="Middle">Middle line, one per x.</param>
/// <param name="Upper">Upper edge, one per x.</param>
public sealed record BandSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Lower, IReadOnlyList<double> Middle, IReadOnlyList<double> Upper);

/// <summary>
/// Chart helpers for the notebooks, built on XPlot.Plotly; <c>display(chart)</c> draws them once
/// <see cref="Setup.Register"/> has run. They only lay out what the library computed.
/// </summary>
public static class Charts
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    /// <summary>Line chart with several series.</summary>
    public static PlotlyChart Lines(string title, string xTitle, string yTitle, params Series[] series) =>
        Lines(title, xTitle, yTitle, logY: false, series);

    /// <summary>Line chart with several series, optionally with a logarithmic y axis.</summary>
    public static PlotlyChart Lines(string title, string xTitle, string yTitle, bool logY, params Series[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var traces = series.Select((s, i) =>
        {
            CheckLengths(s.Name, s.X.Count, s.Y.Count);
            return (Trace)new Scatter { x = s.X, y = s.Y, name = s.Name, mode = "lines", line = new Line { color = Palette[i % Palette.Length] } };
        });
        return Make(traces, title, xTitle, yTitle, logY ? "log" : null);
    }

    /// <summary>Bands with middle lines: each band is filled between its lower and upper edges in its series' colour.</summary>
    public static PlotlyChart Bands(string title, string xTitle, string yTitle, params BandSeries[] bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var traces = new List<Trace>();
        for (var i = 0; i < bands.Length; i++)
        {
            var b = bands[i];
            CheckLengths(b.Name, b.X.Count, b.Lower.Count);
            CheckLengths(b.Name, b.X.Count, b.Middle.Count);
            CheckLengths(b.Name, b.X.Count, b.Upper.Count);
            var color = Palette[i % Palette.Length];
            traces.Add(new Scatter { x = b.X, y = b.Lower, name = b.Name + " lower", mode = "lines", line = new Line { color = color, width = 0.5 }, showlegend = false, legendgroup = b.Name });
            traces.Add(new Scatter { x = b.X, y = b.Upper, name = b.Name + " band", mode = "lines", fill = "tonexty", fillcolor = Transparent(color), line = new Line { color = color, width = 0.5 }, showlegend = false, legendgroup = b.Name });
            traces.Add(new Scatter { x = b.X, y = b.Middle, name = b.Name, mode = "lines", line = new Line { color = color, width = 2 }, legendgroup = b.Name });
        }
        return Make(traces, title, xTitle, yTitle, null);
    }

    /// <summary>Overlaid histograms of raw values (plotly bins them in the page).</summary>
    public static PlotlyChart Histograms(string title, string xTitle, params (string Name, IReadOnlyList<double> Values)[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var traces = samples.Select((s, i) => (Trace)new Histogram
        {
            x = s.Values, name = s.Name, opacity = samples.Length > 1 ? 0.6 : 1.0, nbinsx = 40,
            marker = new Marker { color = Palette[i % Palette.Length] },
        });
        var chart = Make(traces, title, xTitle, "count", null);
        chart.WithLayout(new Layout.Layout { title = title, barmode = "overlay", xaxis = new Xaxis { title = xTitle }, yaxis = new Yaxis { title = "count" } });
        return chart;
    }

    /// <summary>Grouped bars: one bar per category in each series.</summary>
    public static PlotlyChart Bars(string title, string yTitle, IReadOnlyList<string> categories, params (string Name, IReadOnlyList<double> Values)[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(categories);
        var traces = series.Select((s, i) =>
        {
            CheckLengths(s.Name, categories.Count, s.Values.Count);
            return (Trace)new Bar { x = categories, y = s.Values, name = s.Name, marker = new Marker { color = Palette[i % Palette.Length] } };
        });
        return Make(traces, title, "", yTitle, null);
    }

    private static PlotlyChart Make(IEnumerable<Trace> traces, string title, string xTitle, string yTitle, string? yType)
    {
        var yaxis = new Yaxis { title = yTitle };
        if (yType is not null) yaxis.type = yType;
        var chart = Chart.Plot(traces.ToList(), new Layout.Layout { title = title, xaxis = new Xaxis { title = xTitle }, yaxis = yaxis });
        chart.WithHeight(420);
        return chart;
    }

    private static string Transparent(string hex) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},0.2)";

    private static void CheckLengths(string name, int x, int y)
    {
        if (x != y) throw new ArgumentException($"Series '{name}': {x} x values but {y} y values.");
    }
}
