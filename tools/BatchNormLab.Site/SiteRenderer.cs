using System.Net;
using System.Text;

namespace BatchNormLab.Site;

/// <summary>
/// Renders executed notebooks into a static site: one page per notebook (nbconvert, lab template),
/// an index page, and the pinned front-end files copied under assets/ so pages need no network.
/// </summary>
public static class SiteRenderer
{
    /// <summary>plotly.js, relative to a page.</summary>
    public const string PlotlyUrl = "assets/plotly.min.js";

    /// <summary>MathJax 2 (the API nbconvert's template configures), relative to a page.</summary>
    public const string MathJaxUrl = "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe";

    private const string NoRequireJs = "bnl-no-requirejs.js";

    // MathJax 2 loads these on demand for TeX input and CommonHTML output; the rest of the package is not needed.
    private static readonly string[] MathJaxParts =
        ["MathJax.js", "LICENSE", "config", "extensions", "jax/input/TeX", "jax/element", "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "localization/en"];

    /// <summary>Copies plotly.js and MathJax from node_modules into <paramref name="siteDir"/>/assets.</summary>
    public static void CopyAssets(RepoPaths repo, string siteDir)
    {
        var plotly = Path.Combine(repo.NodeModules, "plotly.js-dist-min", "plotly.min.js");
        var mathjax = Path.Combine(repo.NodeModules, "mathjax");
        if (!File.Exists(plotly) || !File.Exists(Path.Combine(mathjax, "MathJax.js")))
            throw new FileNotFoundException("plotly.js or MathJax is missing from node_modules: run `bash .ci/setup` (it runs npm install) at the repository root.", plotly);
        var assets = Path.Combine(siteDir, "assets");
        Directory.CreateDirectory(assets);
        File.Copy(plotly, Path.Combine(assets, "plotly.min.js"), overwrite: true);
        foreach (var part in MathJaxParts)
        {
            var from = Path.Combine(mathjax, part);
            var to = Path.Combine(assets, "mathjax", part);
            if (File.Exists(from))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to, overwrite: true);
            }
            else if (Directory.Exists(from))
            {
                foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(to, Path.GetRelativePath(from, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target, overwrite: true);
                }
            }
        }
    }

    /// <summary>Renders one executed notebook to <paramref name="siteDir"/>/NAME.html and returns the page's path.</summary>
    public static string RenderPage(ExecutedNotebook notebook, string siteDir)
    {
        Directory.CreateDirectory(siteDir);
        var jupyter = ProcessRunner.FindOnPath("jupyter")
            ?? throw new InvalidOperationException("jupyter (Debian package jupyter-nbconvert) is not installed: run `bash .ci/setup`.");
        var name = Path.GetFileNameWithoutExtension(notebook.Source);
        var result = ProcessRunner.Run(jupyter,
            ["nbconvert", "--to", "html", "--no-prompt", "--template", "lab",
             $"--HTMLExporter.mathjax_url={MathJaxUrl}", $"--HTMLExporter.require_js_url={NoRequireJs}",
             "--output-dir", Path.GetFullPath(siteDir), "--output", name, notebook.Executed],
            Path.GetFullPath(siteDir), TimeSpan.FromMinutes(2));
        var page = Path.Combine(siteDir, name + ".html");
        if (result.ExitCode != 0 || !File.Exists(page))
            throw new InvalidOperationException($"nbconvert failed on {notebook.Executed} (exit {result.ExitCode}): {result.Error.Trim()}");
        File.WriteAllText(page, PatchPage(File.ReadAllText(page)));
        return page;
    }

    /// <summary>
    /// Drops the template's require.js (nothing here needs it, and with it loaded plotly.js would
    /// register as an AMD module instead of defining <c>Plotly</c>) and loads plotly.js first in the head.
    /// </summary>
    internal static string PatchPage(string html)
    {
        html = html.Replace($"<script src=\"{NoRequireJs}\"></script>", "", StringComparison.Ordinal);
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        if (head < 0) throw new InvalidDataException("nbconvert's page has no <head>.");
        return html.Insert(head + "<head>".Length, $"\n<script src=\"{PlotlyUrl}\"></script>\n");
    }

    /// <summary>Writes index.html linking every page, titled by each notebook's first heading.</summary>
    public static string WriteIndex(IReadOnlyList<ExecutedNotebook> notebooks, string siteDir)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>BatchNormLab notebooks</title>\n")
          .Append("<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:3em auto;line-height:1.5;padding:0 1em}li{margin:.4em 0}.n{color:#888}</style></head>\n<body>\n")
          .Append("<h1>BatchNormLab</h1>\n<p>Batch normalization by hand in C#: the notebooks, executed.</p>\n<ol>\n");
        foreach (var nb in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(nb.Source);
            sb.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(name)).Append(".html\">").Append(WebUtility.HtmlEncode(nb.Title))
              .Append("</a> <span class=\"n\">").Append(WebUtility.HtmlEncode(name)).Append("</span></li>\n");
        }
        sb.Append("</ol>\n</body></html>\n");
        var index = Path.Combine(siteDir, "index.html");
        File.WriteAllText(index, sb.ToString());
        return index;
    }
}
