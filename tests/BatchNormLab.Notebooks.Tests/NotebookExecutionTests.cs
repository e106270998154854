using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

public class NotebookExecutionTests
{
    [Fact]
    public void Notebooks_are_discovered()
    {
        Assert.NotEmpty(SiteFixture.NotebookNames());
    }

    [Theory]
    [MemberData(nameof(SiteFixture.NotebookNames), MemberType = typeof(SiteFixture))]
    public void Every_cell_runs_within_the_time_limit(string notebook)
    {
        var run = SiteFixture.Shared.Executed[notebook];
        Assert.True(run.Passed, run.Describe());
        Assert.True(run.Elapsed < NotebookExecutor.DefaultTimeout, $"{notebook} took {run.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public void A_failing_cell_is_reported_with_its_number_first_line_and_message()
    {
        // Inside the repository (under bin/), so dotnet-repl is found through the tool manifest.
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
}
