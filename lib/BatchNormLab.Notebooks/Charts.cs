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
/// <remarks>
/// What a reader sees, decided here once rather than in every notebook: the library's enum names
/// shown as words (<see cref="HumanLabels"/>); the "with BN" and "without BN" series of one layer in
/// one colour (without BN dotted); histograms binned here and drawn as bars. <see cref="PlotlyHtml"/>
/// moves the title into the figure's caption and shows fractions on an accuracy or fraction axis as %.
/// </remarks>
public static class Charts
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    /// <summary>Bins of a histogram.</summary>
    public const int HistogramBins = 40;

    /// <summary>Line chart with several series.</summary>
    public static PlotlyChart Lines(string title, string xTitle, string yTitle, params Series[] series) =>
        Lines(title, xTitle, yTitle, logY: false, series);

    /// <summary>Line chart with several series, optionally with a logarithmic y axis.</summary>
    public static PlotlyChart Lines(string title, string xTitle, string yTitle, bool logY, params Series[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var styles = Styles(series.Select(s => s.Name).ToArray());
        var traces = series.Select((s, i) =>
        {
            CheckLengths(s.Name, s.X.Count, s.Y.Count);
            return (Trace)new Scatter
            {
                x = s.X, y = s.Y, name = HumanLabels.Of(s.Name), mode = "lines",
                line = new Line { color = styles[i].Color, dash = styles[i].Dash },
            };
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
            var name = HumanLabels.Of(b.Name);
            traces.Add(new Scatter { x = b.X, y = b.Lower, name = name + " lower", mode = "lines", line = new Line { color = color, width = 0.5 }, showlegend = false, legendgroup = name, hoverinfo = "skip" });
            traces.Add(new Scatter { x = b.X, y = b.Upper, name = name + " band", mode = "lines", fill = "tonexty", fillcolor = Transparent(color), line = new Line { color = color, width = 0.5 }, showlegend = false, legendgroup = name, hoverinfo = "skip" });
            traces.Add(new Scatter { x = b.X, y = b.Middle, name = name, mode = "lines", line = new Line { color = color, width = 2 }, legendgroup = name });
        }
        return Make(traces, title, xTitle, yTitle, null);
    }

    /// <summary>
    /// Overlaid histograms of raw values, binned here (<see cref="HistogramBins"/> equal bins over the
    /// range of all samples) and drawn as bars: the page needs no histogram code and gets 40 numbers, not every value.
    /// </summary>
    public static PlotlyChart Histograms(string title, string xTitle, params (string Name, IReadOnlyList<double> Values)[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var finite = samples.SelectMany(s => s.Values).Where(double.IsFinite).ToArray();
        if (finite.Length == 0) throw new ArgumentException($"Histogram '{title}': no finite values to bin.", nameof(samples));
        var (lo, hi) = (finite.Min(), finite.Max());
        if (hi == lo) (lo, hi) = (lo - 0.5, hi + 0.5);
        var width = (hi - lo) / HistogramBins;
        var centres = Enumerable.Range(0, HistogramBins).Select(k => lo + (k + 0.5) * width).ToArray();
        var traces = samples.Select((s, i) =>
        {
            var counts = new double[HistogramBins];
            foreach (var v in s.Values.Where(double.IsFinite))
                counts[Math.Min(HistogramBins - 1, (int)((v - lo) / width))]++;
            return (Trace)new Bar
            {
                x = centres, y = counts, name = HumanLabels.Of(s.Name),
                opacity = samples.Length > 1 ? 0.6 : 1.0, marker = new Marker { color = Palette[i % Palette.Length] },
            };
        });
        var chart = Chart.Plot(traces.ToList(), new Layout.Layout
        {
            title = title, barmode = "overlay", bargap = 0, xaxis = new Xaxis { title = xTitle }, yaxis = new Yaxis { title = "count" },
        });
        chart.WithHeight(Height);
        return chart;
    }

    /// <summary>Grouped bars: one bar per category in each series.</summary>
    public static PlotlyChart Bars(string title, string yTitle, IReadOnlyList<string> categories, params (string Name, IReadOnlyList<double> Values)[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(categories);
        var labels = categories.Select(c => HumanLabels.Of(c).Replace(" / ", "<br>", StringComparison.Ordinal)).ToArray();
        var traces = series.Select((s, i) =>
        {
            CheckLengths(s.Name, categories.Count, s.Values.Count);
            return (Trace)new Bar { x = labels, y = s.Values, name = HumanLabels.Of(s.Name), marker = new Marker { color = Palette[i % Palette.Length] } };
        });
        return Make(traces, title, "", yTitle, null);
    }

    /// <summary>Height of every chart in pixels; the width follows the page.</summary>
    public const int Height = 420;

    private static PlotlyChart Make(IEnumerable<Trace> traces, string title, string xTitle, string yTitle, string? yType)
    {
        var yaxis = new Yaxis { title = yTitle };
        if (yType is not null) yaxis.type = yType;
        var chart = Chart.Plot(traces.ToList(), new Layout.Layout { title = title, xaxis = new Xaxis { title = xTitle }, yaxis = yaxis });
        chart.WithHeight(Height);
        return chart;
    }

    /// <summary>
    /// A colour and dash per series. When every name is "... with BN" or "... without BN" and at least two
    /// such pairs exist (e.g. one per layer), a pair shares a colour and the network without BN is dotted.
    /// </summary>
    internal static (string Color, string Dash)[] Styles(IReadOnlyList<string> names)
    {
        var keys = names.Select(PairKey).ToArray();
        var distinct = keys.Where(k => k is not null).Distinct().ToList();
        if (keys.Any(k => k is null) || distinct.Count < 2)
            return names.Select((_, i) => (Palette[i % Palette.Length], "solid")).ToArray();
        return names.Select((n, i) => (Palette[distinct.IndexOf(keys[i]!) % Palette.Length],
            n.Contains("without BN", StringComparison.Ordinal) ? "dot" : "solid")).ToArray();
    }

    private static string? PairKey(string name)
    {
        foreach (var marker in new[] { "without BN", "with BN" })
        {
            var at = name.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return (name[..at] + name[(at + marker.Length)..]).Trim();
        }
        return null;
    }

    private static string Transparent(string hex) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},0.2)";

    private static void CheckLengths(string name, int x, int y)
    {
        if (x != y) throw new ArgumentException($"Series '{name}': {x} x values but {y} y values.");
    }
}
