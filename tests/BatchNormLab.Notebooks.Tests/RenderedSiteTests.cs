using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>Every page opened in headless Chromium at a laptop's and a phone's width.</summary>
public class RenderedSiteTests
{
    public static TheoryData<string, int> PagesAtBothWidths()
    {
        var data = new TheoryData<string, int>();
        foreach (var nb in SiteFixture.NotebookNames())
            foreach (var width in new[] { PageCheck.Wide, PageCheck.Narrow }) data.Add(nb, width);
        return data;
    }

    [Theory]
    [MemberData(nameof(PagesAtBothWidths))]
    public void Page_draws_every_chart_renders_math_and_fits_the_window(string notebook, int width)
    {
        var page = SiteFixture.Shared.PageOf(notebook);
        var report = PageCheck.Check(page, width);
        Assert.True(report.Charts > 0, $"{report}: expected at least one chart");
        Assert.True(report.MathSources > 0, $"{report}: expected math");
        Assert.True(report.Passed, report.ToString());
        var at = SiteFixture.Shared.Posts.ToList().FindIndex(p => p.File == Path.GetFileName(page));
        Assert.Contains("index", report.Navigation);
        Assert.Equal(at > 0, report.Navigation.Contains("prev"));
        Assert.Equal(at < SiteFixture.Shared.Posts.Count - 1, report.Navigation.Contains("next"));
    }

    [Theory]
    [InlineData(PageCheck.Wide)]
    [InlineData(PageCheck.Narrow)]
    public void Index_fits_the_window(int width)
    {
        var report = PageCheck.Check(SiteFixture.Shared.Index, width);
        Assert.True(report.LaidOut, report.ToString());
    }

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Page_loads_nothing_from_the_network_and_shares_one_stylesheet(string notebook)
    {
        var html = File.ReadAllText(SiteFixture.Shared.PageOf(notebook));
        Assert.DoesNotContain("Installing Packages", html);
        Assert.DoesNotContain("Installed Packages", html);
        foreach (var attr in new[] { "src=\"http", "src=\"//", "href=\"//", "file:///", "<style" })
            Assert.DoesNotContain(attr, html);
        Assert.Contains($"<script defer src=\"{SiteRenderer.PlotlyUrl}\"></script>", html);
        Assert.Contains($"<link rel=\"stylesheet\" href=\"{SiteRenderer.StylesheetUrl}\">", html);
        Assert.DoesNotMatch("<script src=", html);   // every external script is deferred
        Assert.True(File.Exists(Path.Combine(SiteFixture.Shared.SiteDir, SiteRenderer.PlotlyUrl)));
        Assert.True(File.Exists(Path.Combine(SiteFixture.Shared.SiteDir, SiteRenderer.StylesheetUrl)));
        Assert.True(File.Exists(Path.Combine(SiteFixture.Shared.SiteDir, "assets", "mathjax", "MathJax.js")));
    }

    [Fact]
    public void Index_introduces_the_series_and_links_every_page_with_a_summary()
    {
        var index = File.ReadAllText(SiteFixture.Shared.Index);
        Assert.Contains($"<a href=\"{SiteRenderer.LabUrl}\">the lab</a>", index);
        Assert.Contains("<meta name=\"viewport\"", index);
        foreach (var post in SiteFixture.Shared.Posts)
        {
            Assert.Contains($"<a href=\"{post.File}\">{System.Net.WebUtility.HtmlEncode(post.Title)}</a>", index);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(post.Summary), index);
            Assert.Contains($"{post.Minutes} min read", index);
            Assert.DoesNotContain(post.Name + "<", index);   // not numbered twice by its file name
            Assert.True(post.Summary.Length > 40, $"{post.Name}: summary '{post.Summary}' is too short");
        }
    }

    [Fact]
    public void Page_check_fails_for_a_chart_that_is_not_drawn_and_for_code_wider_than_the_page()
    {
        var report = PageContractTests.CheckedInBrowser(
            $"<div class=\"{PageContract.ChartClass}\" id=\"c\"></div>" +
            "<pre style=\"overflow: hidden; width: 200px\">" + new string('x', 400) + "</pre>", PageCheck.Narrow);
        Assert.Equal(1, report.Charts);
        Assert.Equal(0, report.DrawnCharts);
        Assert.Equal(1, report.FiguresWithoutCaption);
        Assert.Contains(report.Overflowing, o => o.StartsWith("pre", StringComparison.Ordinal));
        Assert.False(report.Passed);
    }

    [Fact]
    public void Page_check_fails_for_a_page_wider_than_the_window_and_for_setup_code()
    {
        var report = PageContractTests.CheckedInBrowser(
            "<div style=\"width: 900px\">wide</div><p>BatchNormLab.Notebooks ready; plotly.js: provided by the page</p>", PageCheck.Narrow);
        Assert.True(report.PageScrollsSideways);
        Assert.Contains("BatchNormLab.Notebooks ready", report.ForbiddenText);
        Assert.False(report.LaidOut);
    }
}
