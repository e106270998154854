using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The names the notebooks library and the site tool share are defined once, in PageContract, and used from there.</summary>
public class PageContractTests
{
    private static readonly string[] Distinctive =
    [
        PageContract.PlotlyModeVariable, PageContract.PlotlyPackage, PageContract.PlotlyFile, PageContract.ProgressAttribute,
        PageContract.ChartClass, PageContract.FigureClass, PageContract.ClaimClass, PageContract.ResultClass,
    ];

    /// <summary>Every string literal compiled into an assembly (its #US heap).</summary>
    private static List<string> Literals(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var reader = pe.GetMetadataReader();
        var literals = new List<string>();
        for (var h = MetadataTokens.UserStringHandle(1); !h.IsNil; h = reader.GetNextHandle(h))
            literals.Add(reader.GetUserString(h));
        return literals;
    }

    [Fact]
    public void The_site_tool_holds_no_copy_of_a_shared_name()
    {
        var site = Literals(typeof(SiteRenderer).Assembly);
        Assert.NotEmpty(site);
        foreach (var name in Distinctive)
            Assert.DoesNotContain(site, literal => literal.Contains(name, StringComparison.Ordinal));
        // The check can fail: the library itself holds each name as a literal.
        var library = Literals(typeof(PageContract).Assembly);
        foreach (var name in Distinctive)
            Assert.Contains(library, literal => literal == name);
    }

    [Fact]
    public void The_executor_passes_the_librarys_own_variable_to_the_kernel()
    {
        var environment = NotebookExecutor.Environment(RepoPaths.Find(AppContext.BaseDirectory));
        var key = environment.Keys.Single(k => k == PageContract.PlotlyModeVariable);
        Assert.Same(PageContract.PlotlyModeVariable, key);
        Assert.Same(PageContract.PlotlyModePage, environment[key]);
    }

    [Fact]
    public void The_site_serves_the_bundle_the_library_names()
    {
        Assert.Equal("assets/" + PageContract.PlotlyFile, SiteRenderer.PlotlyUrl);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Find(AppContext.BaseDirectory).Root, PageContract.PlotlyRelativePath)),
            $"{PageContract.PlotlyRelativePath} is missing: run bash .ci/setup");
    }

    [Fact]
    public void The_cleaner_drops_the_progress_lines_the_library_draws()
    {
        var progress = LiveProgressHtml();
        Assert.Contains(PageContract.ProgressAttribute + "=", progress);
        Assert.True(OutputCleaner.IsNoise(progress));
        Assert.False(OutputCleaner.IsNoise(Claim.That("two is even", true).ToHtml()));
    }

    private static string LiveProgressHtml()
    {
        var line = typeof(LiveProgress).GetMethod("Line", BindingFlags.NonPublic | BindingFlags.Instance)!;
        return (string)line.Invoke(LiveProgress.Start("train"), ["train: 1 / 3", 0.33])!;
    }

    [Fact]
    public void The_page_check_finds_the_charts_the_library_draws()
    {
        var chart = PlotlyHtml.Render(Charts.Lines("Test accuracy (Figure 1(a))", "training step", "test accuracy",
            new Series("without BN", [0, 500, 1000], [0.1, 0.6, 0.8]), new Series("with BN", [0, 500, 1000], [0.1, 0.8, 0.9])));
        var report = CheckedInBrowser(chart, PageCheck.Narrow);
        Assert.Equal(1, report.Charts);
        Assert.Equal(1, report.DrawnCharts);
        Assert.Equal(0, report.FiguresWithoutCaption);
        Assert.Empty(report.ChartTextOutside);
        Assert.False(report.PageScrollsSideways);
    }

    internal static PageReport CheckedInBrowser(string body, int width)
    {
        var repo = RepoPaths.Find(AppContext.BaseDirectory);
        var dir = Directory.CreateTempSubdirectory("bnl-contract-");
        SiteRenderer.CopyAssets(repo, dir.FullName);
        var page = Path.Combine(dir.FullName, "p.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta name=\"viewport\" content=\"width=device-width\">" +
            $"<link rel=\"stylesheet\" href=\"{SiteRenderer.StylesheetUrl}\"><script defer src=\"{SiteRenderer.PlotlyUrl}\"></script></head>" +
            $"<body><div class=\"bnl-page\"><main>{body}</main></div></body></html>");
        return PageCheck.Check(page, width);
    }
}
