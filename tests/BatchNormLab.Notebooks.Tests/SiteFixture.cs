using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>
/// Executes every notebook once per test run (in the Jupyter client, on the .NET Interactive kernel) and renders the site from those executions, so the
/// notebook tests and the page tests share one (slow) run.
/// </summary>
public sealed class SiteFixture
{
    private static readonly Lazy<SiteFixture> Instance = new(() => new SiteFixture());

    private SiteFixture()
    {
        Repo = RepoPaths.Find(AppContext.BaseDirectory);
        var lib = Path.Combine(Repo.Root, "lib", "BatchNormLab.Notebooks", "bin", NotebookExecutor.LibraryConfiguration, "net10.0", "BatchNormLab.Notebooks.dll");
        if (!File.Exists(lib))
            throw new InvalidOperationException($"The notebooks load the {NotebookExecutor.LibraryConfiguration} build ({lib} is missing): build the solution in that configuration first.");
        Work = Directory.CreateTempSubdirectory("bnl-site-test-").FullName;
        var outDir = Path.Combine(Work, "out");
        SiteDir = Path.Combine(Work, "site");
        Executed = Repo.DiscoverNotebooks().ToDictionary(nb => Path.GetFileName(nb), nb => NotebookExecutor.Execute(nb, outDir), StringComparer.Ordinal);
        SiteRenderer.CopyAssets(Repo, SiteDir);
        // A notebook that produced no output has no page; its page tests report the execution problem.
        var rendered = Executed.Where(kv => File.Exists(kv.Value.Executed)).ToList();
        Posts = SiteRenderer.Posts(rendered.Select(kv => kv.Value));
        Pages = rendered.ToDictionary(kv => kv.Key, kv => SiteRenderer.RenderPage(kv.Value, SiteDir, Posts), StringComparer.Ordinal);
        Index = SiteRenderer.WriteIndex(Posts, SiteDir);
    }

    /// <summary>The shared run.</summary>
    public static SiteFixture Shared => Instance.Value;

    public RepoPaths Repo { get; }

    public string Work { get; }

    public string SiteDir { get; }

    public string Index { get; }

    public IReadOnlyDictionary<string, ExecutedNotebook> Executed { get; }

    public IReadOnlyDictionary<string, string> Pages { get; }

    public IReadOnlyList<Post> Posts { get; }

    /// <summary>The rendered page of <paramref name="notebook"/>; fails with the execution problem when there is none.</summary>
    public string PageOf(string notebook) =>
        Pages.TryGetValue(notebook, out var page) ? page : throw new Xunit.Sdk.XunitException($"No page: {Executed[notebook].Describe()}");

    /// <summary>Notebook file names for theories: discovered from notebooks/, never listed by hand.</summary>
    public static TheoryData<string> NotebookNames()
    {
        var data = new TheoryData<string>();
        foreach (var nb in RepoPaths.Find(AppContext.BaseDirectory).DiscoverNotebooks()) data.Add(Path.GetFileName(nb));
        return data;
    }
}
