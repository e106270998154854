namespace BatchNormLab.Notebooks;

/// <summary>
/// The names the notebook displays and the site tool (tools/BatchNormLab.Site) must agree on, defined
/// once: the tool references this project and reads them from here. They are <c>static readonly</c>,
/// not <c>const</c>, so no copy is compiled into the tool (a test checks its binary holds none).
/// </summary>
public static class PageContract
{
    /// <summary>Environment variable telling charts where plotly.js comes from.</summary>
    public static readonly string PlotlyModeVariable = "BATCHNORMLAB_PLOTLY";

    /// <summary>Value of <see cref="PlotlyModeVariable"/> meaning "the page loads plotly.js" (site build).</summary>
    public static readonly string PlotlyModePage = "page";

    /// <summary>
    /// The npm package of the plotly.js bundle (version pinned in package.json). The basic bundle (scatter,
    /// bar, pie) draws every chart here: histograms are binned in C# and drawn as bars.
    /// </summary>
    public static readonly string PlotlyPackage = "plotly.js-basic-dist-min";

    /// <summary>The bundle's file name inside <see cref="PlotlyPackage"/>, also its name under the site's assets/.</summary>
    public static readonly string PlotlyFile = "plotly-basic.min.js";

    /// <summary>The bundle relative to the repository root.</summary>
    public static string PlotlyRelativePath => $"node_modules/{PlotlyPackage}/{PlotlyFile}";

    /// <summary>Attribute naming one live-progress display; the site keeps none of its states.</summary>
    public static readonly string ProgressAttribute = "data-bnl-progress";

    /// <summary>Class of a chart's container div (plotly.js draws into it).</summary>
    public static readonly string ChartClass = "bnl-chart";

    /// <summary>Class of the figure element around a chart and its caption.</summary>
    public static readonly string FigureClass = "bnl-figure";

    /// <summary>Class of a checked claim's line.</summary>
    public static readonly string ClaimClass = "bnl-claim";

    /// <summary>Class of a result sentence (a cell's string value shown as prose).</summary>
    public static readonly string ResultClass = "bnl-result";
}
