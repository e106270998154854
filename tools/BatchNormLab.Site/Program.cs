using System.Diagnostics;
using BatchNormLab.Site;

// Usage: BatchNormLab.Site [--out DIR] [--site DIR] [--no-check]
// Executes every notebook in notebooks/ into out/, renders site/, then checks each page in Chromium.
var repo = RepoPaths.Find();
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var outDir = Path.GetFullPath(Arg("--out", Path.Combine(repo.Root, "out")));
var siteDir = Path.GetFullPath(Arg("--site", Path.Combine(repo.Root, "site")));
var check = !args.Contains("--no-check");

var notebooks = repo.DiscoverNotebooks();
if (notebooks.Count == 0)
{
    Console.Error.WriteLine($"No notebooks found in {repo.Notebooks}.");
    return 1;
}
var failed = false;
var executed = new List<ExecutedNotebook>();
foreach (var nb in notebooks)
{
    Console.WriteLine($"execute  {Path.GetFileName(nb)} ...");
    var run = NotebookExecutor.Execute(nb, outDir);
    Console.WriteLine($"         {run.Describe()} ({run.Elapsed.TotalSeconds:F1} s)");
    if (run.Elapsed > NotebookExecutor.Budget)
        Console.WriteLine($"         warning: over the {NotebookExecutor.Budget.TotalSeconds:F0} s budget per notebook");
    failed |= !run.Passed;
    executed.Add(run);
}

var clock = Stopwatch.StartNew();
if (Directory.Exists(siteDir)) Directory.Delete(siteDir, recursive: true);
SiteRenderer.CopyAssets(repo, siteDir);
// A notebook that wrote no output (killed at the time limit, runner crash) gets no page.
var rendered = executed.Where(nb => File.Exists(nb.Executed)).ToList();
var pages = rendered.Select(nb => SiteRenderer.RenderPage(nb, siteDir)).ToList();
var index = SiteRenderer.WriteIndex(rendered, siteDir);
Console.WriteLine($"render   {pages.Count} pages + index into {siteDir} ({clock.Elapsed.TotalSeconds:F1} s)");

if (check)
{
    clock.Restart();
    foreach (var page in pages)
    {
        var report = PageCheck.Check(page);
        Console.WriteLine($"check    {report}");
        failed |= !report.Passed;
    }
    Console.WriteLine($"check    done ({clock.Elapsed.TotalSeconds:F1} s)");
}
Console.WriteLine(failed ? "FAILED: see the lines above." : $"site ready: {index}");
return failed ? 1 : 0;
