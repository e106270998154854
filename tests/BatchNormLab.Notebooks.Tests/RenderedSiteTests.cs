using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

public class RenderedSiteTests
{
    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Page_draws_every_chart_renders_math_and_shows_no_error(string notebook)
    {
        var page = SiteFixture.Shared.PageOf(notebook);
        var report = PageCheck.Check(page);
        Assert.True(report.Charts > 0, $"{report}: expected at least one chart");
        Assert.True(report.MathSources > 0, $"{report}: expected math");
        Assert.True(report.Passed, report.ToString());
    }

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Page_loads_nothing_from_the_network_and_has_no_install_noise(string notebook)
    {
        var html = File.ReadAllText(SiteFixture.Shared.PageOf(notebook));
        Assert.DoesNotContain("Installing Packages", html);
        Assert.DoesNotContain("Installed Packages", html);
        foreach (var attr in new[] { "src=\"http", "src=\"//", "href=\"http", "file:///" })
            Assert.DoesNotContain(attr, html);
        Assert.Contains($"<script src=\"{SiteRenderer.PlotlyUrl}\"></script>", html);
        Assert.True(File.Exists(Path.Combine(SiteFixture.Shared.SiteDir, "assets", "plotly.min.js")));
        Assert.True(File.Exists(Path.Combine(SiteFixture.Shared.SiteDir, "assets", "mathjax", "MathJax.js")));
    }

    [Fact]
    public void Index_links_every_page_by_its_title()
    {
        var index = File.ReadAllText(SiteFixture.Shared.Index);
        foreach (var (name, run) in SiteFixture.Shared.Executed)
        {
            SiteFixture.Shared.PageOf(name);
            Assert.Contains($"href=\"{Path.GetFileNameWithoutExtension(name)}.html\"", index);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(run.Title), index);
            Assert.NotEqual(Path.GetFileNameWithoutExtension(name), run.Title);
        }
    }

    [Fact]
    public void Page_check_fails_for_a_chart_that_is_not_drawn()
    {
        var dir = Directory.CreateTempSubdirectory("bnl-page-");
        var page = Path.Combine(dir.FullName, "undrawn.html");
        // A chart container whose script calls a plotly.js that the page never loads.
        File.WriteAllText(page, "<!DOCTYPE html><html><head></head><body><div class=\"bnl-chart\" id=\"c\"></div>" +
            "<script>if (window.Plotly) Plotly.newPlot('c', [{y: [1, 2]}]);</script></body></html>");
        var report = PageCheck.Check(page);
        Assert.Equal(1, report.Charts);
        Assert.Equal(0, report.DrawnCharts);
        Assert.False(report.Passed);
    }
}
