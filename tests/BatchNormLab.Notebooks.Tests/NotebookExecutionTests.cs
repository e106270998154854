using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

public class NotebookExecutionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Notebooks_are_discovered()
    {
        Assert.NotEmpty(SiteFixture.NotebookNames());
    }

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Runs_in_the_Jupyter_client_without_error_output_within_the_time_limit(string notebook)
    {
        // SiteFixture ran it with `jupyter nbconvert --to notebook --execute` on the .NET Interactive kernel.
        var run = SiteFixture.Shared.Executed[notebook];
        output.WriteLine(run.Describe());
        Assert.True(run.Passed, run.Describe());
        var outputs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(run.Executed))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? []).ToList();
        Assert.NotEmpty(outputs);
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "stream" && (string?)o!["name"] == "stderr");
        Assert.True(run.Elapsed < NotebookExecutor.Budget, $"{notebook} took {run.Elapsed.TotalSeconds:F0} s; the budget is {NotebookExecutor.Budget.TotalSeconds:F0} s");
    }

    [Fact]
    public void A_failing_cell_is_reported_with_its_number_first_line_and_message()
    {
        // Inside the repository (under bin/), so the project's Jupyter kernelspec is found.
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "failing-" + Guid.NewGuid().ToString("N")));
        var nb = Path.Combine(dir.FullName, "99-failing.ipynb");
        File.WriteAllText(nb, NotebookJson.Make(
            ("markdown", "# Failing on purpose"),
            ("code", "var ok = 1 + 1;"),
            ("code", "// third cell\nthrow new InvalidOperationException(\"boom from cell three\");")));
        var run = NotebookExecutor.Execute(nb, Path.Combine(dir.FullName, "out"));
        Assert.False(run.Passed);
        var error = Assert.Single(run.Errors);
        Assert.Equal(3, error.CellNumber);
        Assert.Equal("// third cell", error.FirstLine);
        Assert.Contains("boom from cell three", error.Message);
        Assert.Contains("cell 3 (// third cell)", run.Describe());
    }

    [Fact]
    public void Setup_cell_says_what_to_run_when_the_library_is_not_built()
    {
        // The first notebook's own setup cell and the shared setup file, run from a folder where ../lib/... does not exist.
        var first = RepoPaths.Find(AppContext.BaseDirectory).DiscoverNotebooks()[0];
        var setup = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(first))!["cells"]!.AsArray()
            .Select(c => c!.AsObject()).First(c => (string?)c["cell_type"] == "code");
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "nolib-" + Guid.NewGuid().ToString("N")));
        var nb = Path.Combine(dir.FullName, "98-no-library.ipynb");
        File.Copy(Path.Combine(Path.GetDirectoryName(first)!, "setup.csx"), Path.Combine(dir.FullName, "setup.csx"));
        File.WriteAllText(nb, NotebookJson.Make(("code", OutputCleaner.SourceText(setup["source"]))));
        var run = NotebookExecutor.Execute(nb, Path.Combine(dir.FullName, "out"));
        var error = Assert.Single(run.Errors);
        Assert.Equal(1, error.CellNumber);
        Assert.Contains("not built", error.Message);
        Assert.Contains("dotnet build -c " + NotebookExecutor.LibraryConfiguration, error.Message);
    }
}
