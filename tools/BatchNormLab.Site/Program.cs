using System.Diagnostics;
using BatchNormLab.Site;

// Usage: BatchNormLab.Site [--out DIR] [--site DIR] [--no-check] [--render-only] [--screenshots DIR] [--lab-only]
// Executes every notebook in notebooks/ into out/ (Jupyter client, .NET Interactive kernel), renders
// site/, builds the live lab into site/lab/ (.NET WebAssembly), then checks each page in Chromium at a
// laptop's and a phone's width. --lab-only rebuilds only site/lab/ (the rest of site/ stays).
// --render-only renders the executed notebooks already in out/; --screenshots writes a full-length PNG
// of every page at both widths.
var repo = RepoPaths.Find();
string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
var outDir = Path.GetFullPath(Arg("--out") ?? Path.Combine(repo.Root, "out"));
var siteDir = Path.GetFullPath(Arg("--site") ?? Path.Combine(repo.Root, "site"));
var screenshots = Arg("--screenshots") is { } s ? Path.GetFullPath(s) : null;
var check = !args.Contains("--no-check");
var renderOnly = args.Contains("--render-only");
if (args.Contains("--lab-only"))
{
    SiteRenderer.CopyAssets(repo, siteDir);
    Console.WriteLine($"lab ready: {LabBuilder.Build(repo, siteDir, Console.WriteLine)}");
    return 0;
}

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
    if (renderOnly)
    {
        var previous = Path.Combine(outDir, Path.GetFileName(nb));
        if (!File.Exists(previous)) { Console.Error.WriteLine($"--render-only: {previous} is missing; run without it first."); return 1; }
        var clean = OutputCleaner.Clean(previous);
        executed.Add(new ExecutedNotebook(nb, previous, clean.Title, clean.Errors, TimeSpan.Zero, null));
        continue;
    }
    Console.WriteLine($"execute  {Path.GetFileName(nb)} ...");
    var run = NotebookExecutor.Execute(nb, outDir);
    Console.WriteLine($"         {run.Describe()}");
    if (run.Elapsed > NotebookExecutor.Budget)
        Console.WriteLine($"         warning: over the {NotebookExecutor.Budget.TotalSeconds:F0} s budget per notebook");
    failed |= !run.Passed;
    executed.Add(run);
}

var clock = Stopwatch.StartNew();
if (Directory.Exists(siteDir)) Directory.Delete(siteDir, recursive: true);
SiteRenderer.CopyAssets(repo, siteDir);
// A notebook that wrote no output (killed at the time limit, client crash) gets no page.
var rendered = executed.Where(nb => File.Exists(nb.Executed)).ToList();
var posts = SiteRenderer.Posts(rendered);
var pages = rendered.Select(nb => SiteRenderer.RenderPage(nb, siteDir, posts)).ToList();
var index = SiteRenderer.WriteIndex(posts, siteDir);
Console.WriteLine($"render   {pages.Count} pages + index into {siteDir} ({clock.Elapsed.TotalSeconds:F1} s)");
LabBuilder.Build(repo, siteDir, Console.WriteLine);

if (check)
{
    clock.Restart();
    foreach (var page in pages.Append(index))
    {
        foreach (var width in new[] { PageCheck.Wide, PageCheck.Narrow })
        {
            var report = PageCheck.Check(page, width);
            Console.WriteLine($"check    {report}");
            failed |= !report.Passed;
        }
    }
    Console.WriteLine($"check    done ({clock.Elapsed.TotalSeconds:F1} s)");
}
if (screenshots is not null)
{
    Directory.CreateDirectory(screenshots);
    foreach (var page in pages.Append(index))
    {
        foreach (var width in new[] { PageCheck.Wide, PageCheck.Narrow })
        {
            var files = PageCheck.Screenshot(page, width, Path.Combine(screenshots, $"{Path.GetFileNameWithoutExtension(page)}-{width}"));
            Console.WriteLine($"shot     {files.Count} slices of {Path.GetFileName(page)} at {width} px in {screenshots}");
        }
    }
}
Console.WriteLine(failed ? "FAILED: see the lines above." : $"site ready: {index}");
return failed ? 1 : 0;
