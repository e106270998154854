using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BatchNormLab.Notebooks;

namespace BatchNormLab.Site;

/// <summary>
/// Renders executed notebooks into a blog: nbconvert turns a notebook's cells into HTML through the
/// project's template (template/bnl: cell tags, foldable code), and this class puts them in a page
/// (navigation, table of contents, numbered figures, links to the works cited and to the other lessons,
/// a reference list), writes the index, and copies the assets (one stylesheet, plotly.js, MathJax).
/// </summary>
public static partial class SiteRenderer
{
    /// <summary>plotly.js, relative to a page.</summary>
    public static string PlotlyUrl => "assets/" + PageContract.PlotlyFile;

    /// <summary>MathJax 2, relative to a page.</summary>
    public const string MathJaxUrl = "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe";

    /// <summary>The one stylesheet every page links.</summary>
    public const string StylesheetUrl = "assets/site.css";

    /// <summary>The site's own small script (print: unfold code).</summary>
    public const string ScriptUrl = "assets/site.js";

    /// <summary>The live lab's page, relative to the index (LabBuilder puts it there).</summary>
    public const string LabUrl = "lab/index.html";

    /// <summary>The series' name, on every page.</summary>
    public const string SiteName = "Batch normalization, by hand";

    // MathJax 2 loads these on demand for TeX input and CommonHTML output; the rest of the package is not needed.
    private static readonly string[] MathJaxParts =
        ["MathJax.js", "LICENSE", "config", "extensions", "jax/input/TeX", "jax/element", "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "localization/en"];

    /// <summary>Copies plotly.js and MathJax from node_modules, and the site's stylesheet and script, into <paramref name="siteDir"/>/assets.</summary>
    public static void CopyAssets(RepoPaths repo, string siteDir)
    {
        var plotly = Path.Combine(repo.Root, PageContract.PlotlyRelativePath);
        var mathjax = Path.Combine(repo.NodeModules, "mathjax");
        if (!File.Exists(plotly) || !File.Exists(Path.Combine(mathjax, "MathJax.js")))
            throw new FileNotFoundException("plotly.js or MathJax is missing from node_modules: run `bash .ci/setup` (it runs npm install) at the repository root.", plotly);
        var assets = Path.Combine(siteDir, "assets");
        Directory.CreateDirectory(assets);
        File.Copy(plotly, Path.Combine(assets, PageContract.PlotlyFile), overwrite: true);
        foreach (var own in new[] { "site.css", "site.js" })
            File.Copy(Path.Combine(repo.SiteTool, "assets", own), Path.Combine(assets, own), overwrite: true);
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

    /// <summary>The lessons in order, as the index and the navigation show them.</summary>
    public static IReadOnlyList<Post> Posts(IEnumerable<ExecutedNotebook> notebooks) =>
        notebooks.OrderBy(n => Path.GetFileName(n.Source), StringComparer.Ordinal).Select(n => Post.Of(n.Source, n.Title)).ToList();

    /// <summary>Renders one executed notebook to <paramref name="siteDir"/>/NAME.html (linked to the other <paramref name="posts"/>) and returns the page's path.</summary>
    public static string RenderPage(ExecutedNotebook notebook, string siteDir, IReadOnlyList<Post> posts)
    {
        Directory.CreateDirectory(siteDir);
        var repo = RepoPaths.Find(Path.GetDirectoryName(Path.GetFullPath(notebook.Source)));
        var jupyter = ProcessRunner.FindOnPath("jupyter")
            ?? throw new InvalidOperationException("jupyter (Debian package jupyter-nbconvert) is not installed: run `bash .ci/setup`.");
        var name = Path.GetFileNameWithoutExtension(notebook.Source);
        var work = Directory.CreateTempSubdirectory("bnl-render-");
        try
        {
            var result = ProcessRunner.Run(jupyter,
                ["nbconvert", "--to", "html", "--no-prompt",
                 $"--TemplateExporter.extra_template_basedirs={Path.Combine(repo.SiteTool, "template")}", "--template", "bnl",
                 "--output-dir", work.FullName, "--output", name, notebook.Executed],
                work.FullName, TimeSpan.FromMinutes(2));
            var fragment = Path.Combine(work.FullName, name + ".html");
            if (result.ExitCode != 0 || !File.Exists(fragment))
                throw new InvalidOperationException($"nbconvert failed on {notebook.Executed} (exit {result.ExitCode}): {result.Error.Trim()}");
            var index = posts.ToList().FindIndex(p => p.Name == name);
            var post = index >= 0 ? posts[index] : Post.Of(notebook.Source, notebook.Title);
            var page = Path.Combine(siteDir, name + ".html");
            File.WriteAllText(page, Page(File.ReadAllText(fragment), post, posts));
            return page;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The whole page around nbconvert's cells: head, top bar, byline, contents, cells, references, pager.</summary>
    internal static string Page(string cells, Post post, IReadOnlyList<Post> posts)
    {
        var at = posts.ToList().FindIndex(p => p.Name == post.Name);
        var previous = at > 0 ? posts[at - 1] : null;
        var next = at >= 0 && at + 1 < posts.Count ? posts[at + 1] : null;

        var (linked, cited) = LinkProse(cells, posts, post);
        var body = NumberFigures(linked);
        body = LinkSections(body);
        body = StackableTables(body);
        var references = cited.Count == 0 ? "" : ReferenceList(cited);
        var toc = Contents(body + references);
        body = InsertAfterFirst(body, "</h1>", $"\n<p class=\"bnl-byline\">Lesson {post.Number.TrimStart('0')} · {post.Minutes} min read</p>\n");
        body = InsertBeforeFirst(body, "<h2 ", toc);

        var sb = new StringBuilder();
        sb.Append(Head(post.Title + " · " + SiteName, post.Summary, withCharts: true))
          .Append("<body>\n<div class=\"bnl-page\">\n")
          .Append(TopBar(previous, next))
          .Append("<main class=\"bnl-post\">\n<article>\n").Append(body).Append(references).Append("</article>\n</main>\n")
          .Append("<nav class=\"bnl-pager\" aria-label=\"Lessons\">");
        if (previous is not null) sb.Append("<a class=\"prev\" rel=\"prev\" href=\"").Append(previous.File).Append("\"><small>← Previous</small>").Append(Html(previous.Title)).Append("</a>");
        sb.Append("<a class=\"index\" href=\"index.html\"><small>All lessons</small>Index</a>");
        if (next is not null) sb.Append("<a class=\"next\" rel=\"next\" href=\"").Append(next.File).Append("\"><small>Next →</small>").Append(Html(next.Title)).Append("</a>");
        sb.Append("</nav>\n</div>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Head(string title, string description, bool withCharts)
    {
        var sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"color-scheme\" content=\"light dark\">\n")
            .Append("<title>").Append(Html(title)).Append("</title>\n")
            .Append("<meta name=\"description\" content=\"").Append(Html(description)).Append("\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(StylesheetUrl).Append("\">\n")
            .Append("<script defer src=\"").Append(ScriptUrl).Append("\"></script>\n");
        if (withCharts)
        {
            sb.Append("<script defer src=\"").Append(PlotlyUrl).Append("\"></script>\n")
              .Append("<script type=\"text/x-mathjax-config\">\nMathJax.Hub.Config({ tex2jax: { inlineMath: [['$','$'], ['\\\\(','\\\\)']], displayMath: [['$$','$$'], ['\\\\[','\\\\]']], processEscapes: true, processEnvironments: true },\n")
              .Append("  displayAlign: 'center', messageStyle: 'none', CommonHTML: { linebreaks: { automatic: false } } });\n</script>\n")
              .Append("<script defer src=\"").Append(MathJaxUrl).Append("\"></script>\n");
        }
        return sb.Append("</head>\n").ToString();
    }

    private static string TopBar(Post? previous, Post? next)
    {
        var sb = new StringBuilder("<header class=\"bnl-topbar\"><a class=\"bnl-home\" href=\"index.html\">")
            .Append(Html(SiteName)).Append("</a><nav aria-label=\"Lesson navigation\">");
        if (previous is not null) sb.Append("<a rel=\"prev\" href=\"").Append(previous.File).Append("\">← ").Append(Html(previous.Number)).Append("</a>");
        sb.Append("<a href=\"index.html\">Index</a>");
        if (next is not null) sb.Append("<a rel=\"next\" href=\"").Append(next.File).Append("\">").Append(Html(next.Number)).Append(" →</a>");
        return sb.Append("</nav></header>\n").ToString();
    }

    /// <summary>
    /// In the prose (markdown cells, outside code and links): links the first citation of each work in
    /// <see cref="References.All"/> and every mention of another lesson ("notebook 03", "Notebooks 02
    /// and 03"). Returns the new HTML and the works cited, in reference-list order.
    /// </summary>
    internal static (string Html, IReadOnlyList<Reference> Cited) LinkProse(string cells, IReadOnlyList<Post> posts, Post self)
    {
        var cited = new HashSet<Reference>();
        var html = MarkdownRegex().Replace(cells, cell => cell.Groups["open"].Value + Texts(cell.Groups["body"].Value, text =>
        {
            text = LessonRegex().Replace(text, m =>
                NumberInLessonRegex().Replace(m.Value, n =>
                    posts.FirstOrDefault(p => p.Number == n.Value) is { } target && target.Name != self.Name
                        ? $"<a href=\"{target.File}\">{n.Value}</a>" : n.Value));
            foreach (var reference in References.All)
            {
                if (cited.Contains(reference)) continue;
                var m = reference.Pattern.Match(text);
                if (!m.Success) continue;
                cited.Add(reference);
                text = text[..m.Index] + $"<a href=\"{reference.Url}\">{m.Value}</a>" + text[(m.Index + m.Length)..];
            }
            return text;
        }) + cell.Groups["close"].Value);
        return (html, References.All.Where(cited.Contains).ToList());
    }

    /// <summary>Applies <paramref name="edit"/> to the text between tags, skipping code, links, headings and preformatted text.</summary>
    internal static string Texts(string html, Func<string, string> edit)
    {
        var sb = new StringBuilder();
        var skip = 0;
        var pos = 0;
        foreach (Match tag in TagRegex().Matches(html))
        {
            var text = html[pos..tag.Index];
            sb.Append(skip > 0 ? text : edit(text)).Append(tag.Value);
            pos = tag.Index + tag.Length;
            if (SkippedTagRegex().Match(tag.Value) is { Success: true } t)
                skip = Math.Max(0, skip + (t.Groups["close"].Success ? -1 : 1));
        }
        var rest = html[pos..];
        return sb.Append(skip > 0 ? rest : edit(rest)).ToString();
    }

    /// <summary>Puts "Figure N." before each figure's caption, in page order; returns the HTML.</summary>
    internal static string NumberFigures(string html)
    {
        var n = 0;
        return FigcaptionRegex().Replace(html, _ => $"<figcaption><span class=\"bnl-fignum\">Figure {++n}.</span> ");
    }

    /// <summary>Links "§3" to the section headed "3. ..." and "§3b" to "3b. ..." (the lessons number their sections so).</summary>
    internal static string LinkSections(string html)
    {
        var ids = HeadingRegex().Matches(html).Select(m => (Id: m.Groups["id"].Value, Text: Strip(m.Groups["text"].Value))).ToList();
        return MarkdownRegex().Replace(html, cell => cell.Groups["open"].Value + Texts(cell.Groups["body"].Value, text =>
            SectionRegex().Replace(text, m =>
            {
                var target = ids.FirstOrDefault(h => h.Text.StartsWith(m.Groups["n"].Value + ".", StringComparison.Ordinal));
                return target.Id is null ? m.Value : $"<a href=\"#{target.Id}\">{m.Value}</a>";
            })) + cell.Groups["close"].Value);
    }

    /// <summary>
    /// Marks every table in the prose (markdown cells) <c>bnl-stack</c> and gives each body cell its column's header as
    /// <c>data-label</c>, so that on a phone the stylesheet can show each row as a block of labelled lines instead of a
    /// table that scrolls sideways.
    /// </summary>
    internal static string StackableTables(string html) =>
        MarkdownRegex().Replace(html, cell => cell.Groups["open"].Value + TableRegex().Replace(cell.Groups["body"].Value, table =>
        {
            var headers = HeaderCellRegex().Matches(table.Groups["head"].Value).Select(h => Strip(h.Groups["text"].Value).Replace("\"", "&quot;", StringComparison.Ordinal)).ToList();
            var body = RowRegex().Replace(table.Groups["body"].Value, row =>
            {
                var column = 0;
                return BodyCellRegex().Replace(row.Value, td =>
                {
                    var label = column < headers.Count ? headers[column] : "";
                    column++;
                    return label.Length == 0 ? td.Value : $"<td data-label=\"{label}\"{td.Groups["attributes"].Value}>";
                });
            });
            return $"<table class=\"bnl-stack\"{table.Groups["attributes"].Value}>{table.Groups["head"].Value}{body}</table>";
        }) + cell.Groups["close"].Value);

    /// <summary>The table of contents: every h2 of the page (a link each), folded open.</summary>
    internal static string Contents(string html)
    {
        var items = HeadingRegex().Matches(html).Where(m => m.Groups["level"].Value == "2").ToList();
        if (items.Count == 0) return "";
        var sb = new StringBuilder("<nav class=\"bnl-toc\" aria-label=\"Contents\"><details open><summary>Contents</summary><ol>");
        foreach (var m in items)
            sb.Append("<li><a href=\"#").Append(m.Groups["id"].Value).Append("\">").Append(Strip(m.Groups["text"].Value)).Append("</a></li>");
        return sb.Append("</ol></details></nav>\n").ToString();
    }

    private static string ReferenceList(IReadOnlyList<Reference> cited)
    {
        var sb = new StringBuilder("<section class=\"bnl-references\">\n<h2 id=\"references\">References</h2>\n<ol>\n");
        foreach (var r in cited)
            sb.Append("<li>").Append(Html(r.Text)).Append(" <a href=\"").Append(r.Url).Append("\">").Append(Html(ShortUrl(r.Url))).Append("</a></li>\n");
        return sb.Append("</ol>\n</section>\n").ToString();
    }

    private static string ShortUrl(string url) => Regex.Replace(url, "^https?://(www\\.)?", "");

    /// <summary>Writes index.html: the series introduced, then each lesson with its summary and reading time.</summary>
    public static string WriteIndex(IReadOnlyList<Post> posts, string siteDir)
    {
        var sb = new StringBuilder(Head(SiteName, "Batch normalization implemented by hand in C#, in lessons that run every number they show.", withCharts: false));
        sb.Append("<body>\n<div class=\"bnl-page bnl-index\">\n<header class=\"bnl-topbar\"><a class=\"bnl-home\" href=\"index.html\">")
          .Append(Html(SiteName)).Append("</a></header>\n<main>\n<h1>").Append(Html(SiteName)).Append("</h1>\n")
          .Append("<p>Batch normalization (Ioffe &amp; Szegedy, 2015) is one of the most used layers in deep learning, and one of the ")
          .Append("easiest to get subtly wrong. These lessons build it from scratch in C#: the forward and backward pass ")
          .Append("checked number by number, the paper's experiments repeated on Fashion-MNIST, and the ways it fails in practice, ")
          .Append("each measured and then fixed. Every number and chart on these pages was computed by the code shown with it, and ")
          .Append("every claim in the text is checked against those numbers when the pages are built.</p>\n")
          .Append("<p>Read them in order: each lesson uses what the one before it explained.</p>\n")
          .Append("<p><strong>Try it live:</strong> <a href=\"").Append(LabUrl).Append("\">the lab</a> trains the paper's network with and without ")
          .Append("batch norm in your browser, side by side, with the lessons' own C# library and settings you choose.</p>\n<ol>\n");
        foreach (var p in posts)
        {
            sb.Append("<li><h2><a href=\"").Append(p.File).Append("\">").Append(Html(p.Title)).Append("</a></h2>")
              .Append("<p class=\"n\">Lesson ").Append(Html(p.Number.TrimStart('0'))).Append(" · ").Append(p.Minutes).Append(" min read</p>")
              .Append("<p>").Append(Html(p.Summary)).Append("</p></li>\n");
        }
        sb.Append("</ol>\n</main>\n</div>\n</body>\n</html>\n");
        var index = Path.Combine(siteDir, "index.html");
        File.WriteAllText(index, sb.ToString());
        return index;
    }

    private static string InsertAfterFirst(string html, string marker, string insert)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? insert + html : html.Insert(at + marker.Length, insert);
    }

    private static string InsertBeforeFirst(string html, string marker, string insert)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? html + insert : html.Insert(at, insert);
    }

    private static string Strip(string html) => TagRegex().Replace(html, "").Replace("¶", "", StringComparison.Ordinal).Replace("&#182;", "", StringComparison.Ordinal).Trim();

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("(?<open>data-mime-type=\"text/markdown\">)(?<body>.*?)(?<close></div>)", RegexOptions.Singleline)]
    private static partial Regex MarkdownRegex();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("^<(?<close>/)?(code|a|pre|h[1-6]|script)\\b", RegexOptions.IgnoreCase)]
    private static partial Regex SkippedTagRegex();

    [GeneratedRegex(@"\b[Nn]otebooks? 0[0-9](?:(?:,| and|, and) 0[0-9])*\b")]
    private static partial Regex LessonRegex();

    [GeneratedRegex("0[0-9]")]
    private static partial Regex NumberInLessonRegex();

    [GeneratedRegex("<figcaption>")]
    private static partial Regex FigcaptionRegex();

    [GeneratedRegex("<h(?<level>[1-6]) id=\"(?<id>[^\"]+)\">(?<text>.*?)</h\\k<level>>", RegexOptions.Singleline)]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"§(?<n>[0-9]+[a-z]?)")]
    private static partial Regex SectionRegex();

    [GeneratedRegex("<table(?<attributes>[^>]*)>(?<head>(?:(?!</table>).)*?</thead>)(?<body>.*?)</table>", RegexOptions.Singleline)]
    private static partial Regex TableRegex();

    [GeneratedRegex("<th\\b[^>]*>(?<text>.*?)</th>", RegexOptions.Singleline)]
    private static partial Regex HeaderCellRegex();

    [GeneratedRegex("<tr\\b.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowRegex();

    [GeneratedRegex("<td(?<attributes>(?:\\s[^>]*)?)>")]
    private static partial Regex BodyCellRegex();
}
