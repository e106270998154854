using BatchNormLab.Tensors;
using Microsoft.DotNet.Interactive.Formatting;
using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>
/// The one call a notebook's setup cell makes: registers the HTML formatters so that
/// <c>display(x)</c> shows XPlot.Plotly charts as interactive charts and matrices as compact tables.
/// </summary>
public static class Setup
{
    private static bool _registered;

    /// <summary>
    /// Registers the formatters (idempotent). Returns a short line for the setup cell's output naming
    /// where plotly.js comes from, so a reader sees at once why a chart would not draw.
    /// </summary>
    public static string Register()
    {
        if (!_registered)
        {
            Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(PlotlyHtml.Render(chart)), HtmlFormatter.MimeType);
            Formatter.Register<Matrix<double>>((m, writer) => writer.Write(MatrixTable.Html(m, null)), HtmlFormatter.MimeType);
            Formatter.Register<Matrix<float>>((m, writer) => writer.Write(MatrixTable.Html(m, null)), HtmlFormatter.MimeType);
            Formatter.Register<NamedMatrices>((t, writer) => writer.Write(t.ToHtml()), HtmlFormatter.MimeType);
            Formatter.Register<Table>((t, writer) => writer.Write(t.ToHtml()), HtmlFormatter.MimeType);
            Formatter.Register<ProgressLine>((p, writer) => writer.Write(p.Html), HtmlFormatter.MimeType);
            Formatter.Register<Claim>((c, writer) => writer.Write(c.ToHtml()), HtmlFormatter.MimeType);
            Formatter.Register<ImageGrid>((g, writer) => writer.Write(g.ToHtml()), HtmlFormatter.MimeType);
            Formatter.Register<BatchNormLab.Training.TrainingHistory>((h, writer) => writer.Write(TrainingCharts.Html(h)), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Matrix<double>), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Matrix<float>), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(NamedMatrices), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Table), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(ProgressLine), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Claim), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(ImageGrid), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(BatchNormLab.Training.TrainingHistory), HtmlFormatter.MimeType);
            _registered = true;
        }
        return $"BatchNormLab.Notebooks ready; plotly.js: {PlotlyHtml.SourceDescription}";
    }
}
