using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>
/// The live lab, published once per test run into a temporary site (with the site's assets beside it, as on the
/// blog) and served on 127.0.0.1 at a free port; the server stops when the tests end. Publishing needs no
/// build.sh, so the lab's tests pass from a clean clone. BATCHNORMLAB_LAB_SITE names an already built site to serve
/// instead (a quicker loop while working on the page; never set in CI).
/// </summary>
public sealed class LabFixture : IDisposable
{
    public LabFixture()
    {
        var repo = RepoPaths.Find(AppContext.BaseDirectory);
        if (Environment.GetEnvironmentVariable("BATCHNORMLAB_LAB_SITE") is { Length: > 0 } built)
        {
            SiteDir = Path.GetFullPath(built);
            _owned = false;
        }
        else
        {
            // xunit runs this class beside the ones that execute the notebooks: publishing the lab (a few minutes of
            // both cores) would then count against every notebook's two-minute budget. Let the notebooks run first.
            _ = SiteFixture.Shared;
            SiteDir = Directory.CreateTempSubdirectory("bnl-lab-test-").FullName;
            SiteRenderer.CopyAssets(repo, SiteDir);
            LabBuilder.Build(repo, SiteDir);
        }
        LabDir = Path.Combine(SiteDir, LabBuilder.Folder);
        Server = new StaticServer(SiteDir);
    }

    private readonly bool _owned = true;

    public string SiteDir { get; }

    public string LabDir { get; }

    public StaticServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        if (!_owned) return;
        try { Directory.Delete(SiteDir, recursive: true); } catch (IOException) { }
    }
}
