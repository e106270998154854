using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The conventions every notebook follows (checked on the committed files, no execution).</summary>
public partial class NotebookConventionTests
{
    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Find(AppContext.BaseDirectory).Notebooks, name)))!.AsObject();

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Name_is_numbered(string notebook) => Assert.Matches("^[0-9]{2}-[a-z0-9-]+\\.ipynb$", notebook);

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Committed_without_outputs_and_with_polyglot_metadata(string notebook)
    {
        var nb = Load(notebook);
        Assert.Equal("csharp", (string?)nb["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]);
        Assert.Equal(".net-csharp", (string?)nb["metadata"]?["kernelspec"]?["name"]);
        foreach (var cell in nb["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code"))
        {
            Assert.Empty(cell["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]?.GetValue<int?>());
            Assert.Equal("csharp", (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"]);
        }
    }

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void One_setup_cell_first_with_pinned_packages(string notebook)
    {
        var code = Load(notebook)["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => (string?)c["cell_type"] == "code").Select(c => OutputCleaner.SourceText(c["source"])).ToList();
        var withPackages = code.Select((src, i) => (src, i)).Where(t => t.src.Contains("#r \"nuget:", StringComparison.Ordinal)).ToList();
        var setup = Assert.Single(withPackages);
        Assert.Equal(0, setup.i);
        foreach (Match m in NugetRegex().Matches(setup.src))
            Assert.True(m.Groups[2].Success, $"{notebook}: package {m.Groups[1].Value} has no pinned version");
        // The same two lines everywhere: the pinned package, then the shared setup file (no drift).
        Assert.Equal(SetupCell, setup.src.Trim());
        var shared = File.ReadAllText(Path.Combine(RepoPaths.Find(AppContext.BaseDirectory).Notebooks, "setup.csx"));
        Assert.Contains("../lib/BatchNormLab.Notebooks/bin/", shared);
        Assert.Contains("BATCHNORMLAB_CONFIGURATION", shared);
        Assert.Contains("dotnet build -c Release", shared);
        Assert.Contains("#r \"nuget: XPlot.Plotly, 4.1.0\"", shared);   // the file names the pin the cell carries
    }

    /// <summary>The first cell of every notebook, exactly.</summary>
    public const string SetupCell = "#r \"nuget: XPlot.Plotly, 4.1.0\"\n#load \"setup.csx\"";

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Ends_with_a_summary_and_exercises(string notebook)
    {
        var markdown = string.Join("\n", Load(notebook)["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => (string?)c["cell_type"] == "markdown").Select(c => OutputCleaner.SourceText(c["source"])));
        Assert.Matches("(?m)^#+ .*Summary", markdown);
        Assert.Matches("(?m)^#+ .*Exercises", markdown);
    }

    [GeneratedRegex("#r \"nuget:\\s*([^,\"]+)(,\\s*[0-9][^\"]*)?\"")]
    private static partial Regex NugetRegex();
}
