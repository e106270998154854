using System.Text.Json.Nodes;
using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The page around the cells, checked on small inputs (no notebook execution).</summary>
public class SiteRendererTests
{
    private static readonly IReadOnlyList<Post> Posts =
    [
        new("01-first", "01", "First", "One.", 3),
        new("02-second", "02", "Second", "Two.", 5),
        new("03-third", "03", "Third", "Three.", 7),
    ];

    private static string Markdown(string html) =>
        $"<div class=\"jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput \" data-mime-type=\"text/markdown\">{html}</div>";

    [Fact]
    public void Prose_links_the_first_citation_of_each_work_and_the_other_lessons_but_not_code_or_headings()
    {
        var cells = Markdown("<h2 id=\"x\">Ioffe &amp; Szegedy</h2><p>As Ioffe &amp; Szegedy show, and notebook 03 measures " +
            "(Notebooks 01 and 02 too), <code>notebook 03</code>; Ioffe &amp; Szegedy again.</p>");
        var (html, cited) = SiteRenderer.LinkProse(cells, Posts, Posts[1]);
        var reference = Assert.Single(cited);
        Assert.Contains("1502.03167", reference.Url);
        Assert.Contains("<h2 id=\"x\">Ioffe &amp; Szegedy</h2>", html);
        Assert.Contains($"<a href=\"{reference.Url}\">Ioffe &amp; Szegedy</a> show", html);
        Assert.Contains("; Ioffe &amp; Szegedy again", html);
        Assert.Contains("notebook <a href=\"03-third.html\">03</a> measures", html);
        Assert.Contains("Notebooks <a href=\"01-first.html\">01</a> and 02 too", html);   // 02 is this page
        Assert.Contains("<code>notebook 03</code>", html);
    }

    [Fact]
    public void Figures_are_numbered_in_page_order_and_sections_link_to_their_heading()
    {
        var html = SiteRenderer.NumberFigures("<figure><figcaption>a</figcaption></figure><figure><figcaption>b</figcaption></figure>");
        Assert.Contains("Figure 1.</span> a", html);
        Assert.Contains("Figure 2.</span> b", html);
        var linked = SiteRenderer.LinkSections(Markdown("<h2 id=\"3.-Paths\">3. Paths</h2><p>see §3 and §9</p>"));
        Assert.Contains("<a href=\"#3.-Paths\">§3</a>", linked);
        Assert.Contains("§9</p>", linked);
    }

    [Fact]
    public void Prose_tables_label_each_cell_with_its_column_for_the_phone_layout_and_output_tables_stay_as_they_are()
    {
        var prose = Markdown("<table>\n<thead>\n<tr>\n<th>node</th>\n<th style=\"text-align:left\">for<code>\"ward\"</code></th>\n<th></th>\n</tr>\n</thead>\n" +
            "<tbody>\n<tr>\n<td>9</td>\n<td style=\"text-align:left\">$y$</td>\n<td>x</td>\n</tr>\n<tr>\n<td>8</td>\n<td>$z$</td>\n<td></td>\n</tr>\n</tbody>\n</table>");
        const string output = "<div class=\"jp-OutputArea-output\"><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>";
        var html = SiteRenderer.StackableTables(prose + output);
        Assert.Contains("<table class=\"bnl-stack\">", html);
        Assert.Contains("<td data-label=\"node\">9</td>", html);
        Assert.Contains("<td data-label=\"node\">8</td>", html);
        Assert.Contains("<td data-label=\"for&quot;ward&quot;\" style=\"text-align:left\">$y$</td>", html);
        Assert.Contains("<td>x</td>", html);   // an empty header gives no label
        Assert.Contains("<th>node</th>", html);
        Assert.EndsWith(output, html);
    }

    [Fact]
    public void A_page_has_navigation_contents_byline_and_references()
    {
        var cells = Markdown("<h1 id=\"t\">02 · Second</h1><p>Kratzert wrote it.</p><h2 id=\"a\">1. A<a class=\"anchor-link\" href=\"#a\">&#182;</a></h2><h2 id=\"b\">2. B</h2>");
        var page = SiteRenderer.Page(cells, Posts[1], Posts);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page);
        Assert.Contains($"<link rel=\"stylesheet\" href=\"{SiteRenderer.StylesheetUrl}\">", page);
        Assert.Contains($"<script defer src=\"{SiteRenderer.PlotlyUrl}\"></script>", page);
        Assert.DoesNotContain("<style", page);
        Assert.Contains("rel=\"prev\" href=\"01-first.html\"", page);
        Assert.Contains("rel=\"next\" href=\"03-third.html\"", page);
        Assert.Contains("href=\"index.html\"", page);
        Assert.Contains("Lesson 2 · 5 min read", page);
        Assert.Contains("<li><a href=\"#a\">1. A</a></li><li><a href=\"#b\">2. B</a></li><li><a href=\"#references\">References</a></li>", page);
        Assert.True(page.IndexOf("bnl-toc", StringComparison.Ordinal) < page.IndexOf("<h2 id=\"a\"", StringComparison.Ordinal));
        Assert.Contains("Frederik Kratzert (2016)", page);
    }

    [Fact]
    public void Cell_tags_remove_hide_or_fold_code_on_the_page()
    {
        var dir = Directory.CreateTempSubdirectory("bnl-tags-");
        var nb = Path.Combine(dir.FullName, "05-tags.ipynb");
        var json = JsonNode.Parse(NotebookJson.Make(
            ("markdown", "# 05 · Tags\n\nIntro."),
            ("code", "var setupOnly = 1;"),
            ("code", "var resultOnly = 2;"),
            ("code", "var folded = 3;"),
            ("code", "var shown = 4;")))!;
        string[][] tags = [[], ["remove-cell"], ["remove-input"], ["hide-input"], []];
        for (var i = 0; i < tags.Length; i++)
            if (tags[i].Length > 0) json["cells"]![i]!["metadata"]!["tags"] = new JsonArray(tags[i].Select(t => (JsonNode)t).ToArray());
        File.WriteAllText(nb, json.ToJsonString());
        var executed = Path.Combine(dir.FullName, "out", "05-tags.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(executed)!);
        File.Copy(nb, executed);
        var clean = OutputCleaner.Clean(executed);
        var post = Post.Of(nb, clean.Title);
        var page = File.ReadAllText(SiteRenderer.RenderPage(new ExecutedNotebook(nb, executed, clean.Title, [], TimeSpan.Zero, null), Path.Combine(dir.FullName, "site"), [post]));
        Assert.DoesNotContain("setupOnly", page);
        Assert.DoesNotContain("resultOnly", page);
        Assert.Matches("<details class=\"bnl-code\"><summary>Show the code</summary>(?s:(?!</details>).)*folded", page);
        Assert.Matches("<details class=\"bnl-code\" open><summary>Code</summary>(?s:(?!</details>).)*shown", page);
        Assert.Equal("Tags", post.Title);
    }
}
