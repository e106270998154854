using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchNormLab.Notebooks;

namespace BatchNormLab.Site;

/// <summary>What a page looked like in a real browser at one window width.</summary>
/// <param name="Page">The page checked.</param>
/// <param name="Width">Window width in CSS pixels.</param>
/// <param name="Charts">Chart containers on the page.</param>
/// <param name="DrawnCharts">Containers plotly.js drew into (they hold a main-svg).</param>
/// <param name="MathSources">TeX fragments MathJax found.</param>
/// <param name="MathRendered">Fragments MathJax rendered.</param>
/// <param name="MathErrors">Fragments MathJax could not render.</param>
/// <param name="ErrorOutputs">Error outputs shown on the page.</param>
/// <param name="PageScrollsSideways">The page is wider than the window.</param>
/// <param name="Overflowing">Elements sticking out of the window or cut off by their box, with nothing to scroll them (e.g. "pre: var x = ...").</param>
/// <param name="ChartTextOutside">Chart texts (title, tick labels, legend) drawn outside their chart's box.</param>
/// <param name="FiguresWithoutCaption">Charts without a caption or a text alternative.</param>
/// <param name="Navigation">Navigation links present: "index", "prev", "next" (each once).</param>
/// <param name="ForbiddenText">Visible text that must not be on a page: setup plumbing, build or timing talk.</param>
public sealed record PageReport(
    string Page, int Width, int Charts, int DrawnCharts, int MathSources, int MathRendered, int MathErrors, int ErrorOutputs,
    bool PageScrollsSideways, IReadOnlyList<string> Overflowing, IReadOnlyList<string> ChartTextOutside,
    int FiguresWithoutCaption, IReadOnlyList<string> Navigation, IReadOnlyList<string> ForbiddenText)
{
    /// <summary>Every chart drawn, all math rendered, no cell errored.</summary>
    public bool Rendered => DrawnCharts == Charts && MathRendered == MathSources && MathErrors == 0 && ErrorOutputs == 0;

    /// <summary>Nothing sticks out, is cut off or is missing: the layout a reader can use at this width.</summary>
    public bool LaidOut => !PageScrollsSideways && Overflowing.Count == 0 && ChartTextOutside.Count == 0 && FiguresWithoutCaption == 0 && ForbiddenText.Count == 0;

    /// <summary>Rendered and laid out.</summary>
    public bool Passed => Rendered && LaidOut;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Path.GetFileName(Page)} at {Width} px: charts drawn {DrawnCharts}/{Charts}, math rendered {MathRendered}/{MathSources} ({MathErrors} errors), " +
        $"error outputs {ErrorOutputs}, sideways scroll {(PageScrollsSideways ? "YES" : "no")}, overflowing {Overflowing.Count}, " +
        $"chart text outside {ChartTextOutside.Count}, figures without caption {FiguresWithoutCaption}, navigation [{string.Join(", ", Navigation)}]" +
        (ForbiddenText.Count > 0 ? $", forbidden text: {string.Join(" | ", ForbiddenText)}" : "") +
        (Overflowing.Count > 0 ? $"; overflowing: {string.Join(" | ", Overflowing.Take(5))}" : "") +
        (ChartTextOutside.Count > 0 ? $"; chart text outside: {string.Join(" | ", ChartTextOutside.Take(5))}" : "");
}

/// <summary>
/// Opens a rendered page in headless Chromium (Debian's chromium) at a given window width, lets its
/// scripts run (plotly.js, MathJax), and measures it from inside the page: a copy of the page carries a
/// check script that writes its findings into the DOM, which Chromium then dumps.
/// </summary>
public static partial class PageCheck
{
    /// <summary>A laptop's window width.</summary>
    public const int Wide = 1100;

    /// <summary>A phone's width.</summary>
    public const int Narrow = 400;

    /// <summary>Visible text (code included) that betrays the notebook plumbing: the setup cell and its output.</summary>
    public static readonly IReadOnlyList<string> SetupText =
        ["AddAssemblyReferences", "#r \"nuget:", "#load \"setup.csx\"", "Setup.Register", "BatchNormLab.Notebooks ready"];

    /// <summary>Text outside code that talks about the build or the machine instead of the lesson (timings, speeds, cores), as JavaScript regular expressions.</summary>
    public static readonly IReadOnlyList<string> BuildText = [@"steps/s\b", @"on this machine", @"\b[0-9]+-core\b", @"\bdone in [0-9.]+ ?s\b"];

    /// <summary>Loads <paramref name="page"/> at <paramref name="width"/> px and measures it.</summary>
    public static PageReport Check(string page, int width = Wide)
    {
        // MathJax typesets asynchronously; on a loaded machine the first dump can come too early, so
        // a page whose check has not finished is loaded again with a longer (virtual) time budget.
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(page))!, $".check-{Guid.NewGuid():N}.html");
        File.WriteAllText(copy, WithCheckScript(File.ReadAllText(page)));
        var frame = Frame(copy, width, 1000);
        try
        {
            PageReport? report = null;
            foreach (var budget in new[] { 20_000, 60_000, 120_000 })
            {
                report = Read(page, width, DumpDom(frame, budget, width));
                if (report is { Rendered: true }) break;
            }
            return report ?? throw new InvalidOperationException($"{page}: the check script never finished (plotly.js or MathJax did not settle).");
        }
        finally
        {
            File.Delete(copy);
            File.Delete(frame);
        }
    }

    /// <summary>
    /// A page showing <paramref name="page"/> in a frame <paramref name="width"/> px wide. Headless Chromium's
    /// window is at least 500 px wide, so a phone's width is had through a frame; what the framed page
    /// reports (postMessage) is written into the frame's parent, which Chromium dumps.
    /// </summary>
    private static string Frame(string page, int width, int height, int top = 0)
    {
        var frame = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(page))!, $".frame-{Guid.NewGuid():N}.html");
        File.WriteAllText(frame, FrameHtml(page, width, height, top));
        return frame;
    }

    private static string FrameHtml(string page, int width, int height, int top) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">" +
            $"<iframe src=\"{Path.GetFileName(page)}\" style=\"display:block;margin-top:-{top}px;border:0;width:{width}px;height:{height}px\"></iframe>" +
            "<script>window.addEventListener('message', function (e) { if (!e.data || !e.data.bnl) return; var p = document.createElement('pre'); " +
            "p.id = e.data.bnl; p.textContent = e.data.text; document.body.appendChild(p); });</script></body></html>";

    /// <summary>The page with the check script added at the end of its body.</summary>
    internal static string WithCheckScript(string html)
    {
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var script = "<script>\n" + CheckScript.Replace("__SETUP__", JsonSerializer.Serialize(SetupText), StringComparison.Ordinal)
            .Replace("__BUILD__", JsonSerializer.Serialize(BuildText), StringComparison.Ordinal)
            .Replace("__CHART__", PageContract.ChartClass, StringComparison.Ordinal).Replace("__FIGURE__", PageContract.FigureClass, StringComparison.Ordinal) + "\n</script>\n";
        return end < 0 ? html + script : html.Insert(end, script);
    }

    private static PageReport? Read(string page, int width, string dom)
    {
        var m = ResultRegex().Match(dom);
        if (!m.Success) return null;
        using var json = JsonDocument.Parse(WebUtility.HtmlDecode(m.Groups[1].Value));
        var r = json.RootElement;
        int I(string n) => r.GetProperty(n).GetInt32();
        IReadOnlyList<string> L(string n) => r.GetProperty(n).EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        return new PageReport(page, width, I("charts"), I("drawn"), I("mathSources"), I("mathRendered"), I("mathErrors"), I("errorOutputs"),
            r.GetProperty("sideways").GetBoolean(), L("overflowing"), L("chartTextOutside"), I("figuresWithoutCaption"), L("navigation"), L("forbidden"));
    }

    // Runs in the page: waits for MathJax's first typesetting and for the charts, then measures.
    private const string CheckScript = """
        (function () {
          var started = Date.now();
          var finish = function () {
            var vw = document.documentElement.clientWidth;
            var scrollable = function (el) {
              for (var a = el.parentElement; a; a = a.parentElement) {
                var o = getComputedStyle(a).overflowX;
                if (o === 'auto' || o === 'scroll') return a;
              }
              return null;
            };
            var describe = function (el) {
              var t = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
              return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ': ' + t.slice(0, 60);
            };
            var overflowing = [];
            document.querySelectorAll('main *').forEach(function (el) {
              if (el.closest('svg') || el.closest('.__CHART__') || el.closest('.MJX_Assistive_MathML')) return;
              var r = el.getBoundingClientRect();
              if (r.width <= 1 || r.height <= 1) return;
              var s = getComputedStyle(el);
              if (s.visibility === 'hidden' || s.clip !== 'auto' && s.position === 'absolute') return;
              var cut = el.scrollWidth > el.clientWidth + 1 && (s.overflowX === 'hidden' || s.overflowX === 'clip') && s.textOverflow !== 'ellipsis';
              var out = r.right > vw + 1 || r.left < -1;
              if (out) {
                var box = scrollable(el);
                if (box && box.getBoundingClientRect().right <= vw + 1 && box.getBoundingClientRect().left >= -1) out = false;
              }
              if ((cut || out) && overflowing.length < 50) overflowing.push(describe(el));
            });
            var charts = document.querySelectorAll('.__CHART__');
            var drawn = 0, outside = [], uncaptioned = 0;
            charts.forEach(function (c, i) {
              if (c.querySelector('.main-svg')) drawn++;
              var fig = c.closest('.__FIGURE__');
              if (!fig || !fig.querySelector('figcaption') || !(c.getAttribute('aria-label') || '').trim()) uncaptioned++;
              var box = c.getBoundingClientRect();
              c.querySelectorAll('svg text').forEach(function (t) {
                if (!t.textContent.trim()) return;
                var r = t.getBoundingClientRect();
                if (r.width === 0) return;
                if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2)
                  outside.push('chart ' + (i + 1) + ': "' + t.textContent.trim().slice(0, 40) + '"');
              });
            });
            var nav = [];
            if (document.querySelector('a[href="index.html"]')) nav.push('index');
            if (document.querySelector('a[rel="prev"]')) nav.push('prev');
            if (document.querySelector('a[rel="next"]')) nav.push('next');
            var visible = document.body.innerText;
            var prose = visible;
            document.querySelectorAll('.bnl-code').forEach(function (c) { prose = prose.split(c.innerText).join(' '); });
            var forbidden = __SETUP__.filter(function (f) { return visible.indexOf(f) >= 0; })
              .concat(__BUILD__.filter(function (f) { return new RegExp(f).test(prose); }));
            var result = {
              charts: charts.length, drawn: drawn,
              mathSources: document.querySelectorAll('script[type^="math/tex"]').length,
              mathRendered: document.querySelectorAll('.MathJax_CHTML, .mjx-chtml.MathJax_CHTML, [id^="MathJax-Element-"][id$="-Frame"]').length,
              mathErrors: document.querySelectorAll('.MathJax_Error, .mjx-merror').length,
              errorOutputs: document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
              sideways: document.documentElement.scrollWidth > vw + 1,
              overflowing: overflowing, chartTextOutside: outside, figuresWithoutCaption: uncaptioned,
              navigation: nav, forbidden: forbidden
            };
            if (window.parent !== window) window.parent.postMessage({ bnl: 'bnl-check-result', text: JSON.stringify(result) }, '*');
          };
          var waitCharts = function () {
            var charts = document.querySelectorAll('.__CHART__');
            var all = Array.prototype.every.call(charts, function (c) { return c.querySelector('.main-svg'); });
            if (all || Date.now() - started > 60000) setTimeout(finish, 300); else setTimeout(waitCharts, 100);
          };
          window.addEventListener('load', function () {
            if (window.MathJax && MathJax.Hub) MathJax.Hub.Register.StartupHook('End', waitCharts);
            else waitCharts();
          });
        })();
        """;

    /// <summary>The page's DOM after its scripts ran, from <c>chromium --headless --dump-dom</c> with a window <paramref name="width"/> px wide.</summary>
    public static string DumpDom(string page, int virtualTimeBudgetMs = 20_000, int width = Wide)
    {
        var chromium = Chromium();
        var profile = Directory.CreateTempSubdirectory("bnl-chromium-");
        try
        {
            var result = ProcessRunner.Run(chromium,
                [.. Flags(profile.FullName), $"--window-size={Math.Max(width, 500)},1000", $"--virtual-time-budget={virtualTimeBudgetMs}", "--dump-dom", new Uri(Path.GetFullPath(page)).AbsoluteUri],
                Path.GetDirectoryName(Path.GetFullPath(page))!, TimeSpan.FromMinutes(3));
            if (result.ExitCode != 0 || result.Output.Length == 0)
                throw new InvalidOperationException($"chromium could not load {page} (exit {result.ExitCode}): {result.Error.Trim()}");
            return result.Output;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Screenshots of the whole of <paramref name="page"/> at <paramref name="width"/> px, in slices of
    /// <paramref name="slice"/> px from the top (the height is measured first): <paramref name="png"/>-01.png, -02.png, ...
    /// Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Screenshot(string page, int width, string png, int slice = 2400)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(page))!;
        var copy = Path.Combine(dir, $".height-{Guid.NewGuid():N}.html");
        const string measure = "<script>window.addEventListener('load', function () { var go = function () { setTimeout(function () { " +
            "window.parent.postMessage({ bnl: 'bnl-height', text: String(document.documentElement.scrollHeight) }, '*'); }, 1500); }; " +
            "if (window.MathJax && MathJax.Hub) MathJax.Hub.Register.StartupHook('End', go); else go(); });</script>";
        var html = File.ReadAllText(page);
        File.WriteAllText(copy, html.Insert(html.LastIndexOf("</body>", StringComparison.Ordinal), measure));
        var frame = Frame(copy, width, 1000);
        int height;
        try
        {
            var m = Regex.Match(DumpDom(frame, 30_000, width), "<pre id=\"bnl-height\">([0-9]+)</pre>");
            height = m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 4000;
        }
        finally
        {
            File.Delete(frame);
        }
        var files = new List<string>();
        try
        {
            for (var top = 0; top < height; top += slice)
            {
                // The slice is the frame shifted up by `top` inside a window `slice` px tall.
                var shifted = Frame(copy, width, height, top);
                var file = $"{Path.GetFullPath(png)}-{top / slice + 1:D2}.png";
                var profile = Directory.CreateTempSubdirectory("bnl-chromium-");
                try
                {
                    ProcessRunner.Run(Chromium(),
                        [.. Flags(profile.FullName), $"--window-size={width},{Math.Min(slice, height - top)}", "--hide-scrollbars", "--virtual-time-budget=30000",
                         $"--screenshot={file}", new Uri(shifted).AbsoluteUri],
                        dir, TimeSpan.FromMinutes(3));
                    files.Add(file);
                }
                finally
                {
                    try { profile.Delete(recursive: true); } catch (IOException) { }
                    File.Delete(shifted);
                }
            }
        }
        finally
        {
            File.Delete(copy);
        }
        return files;
    }

    private static string Chromium() =>
        ProcessRunner.FindOnPath("chromium") ?? ProcessRunner.FindOnPath("chromium-browser")
            ?? throw new InvalidOperationException("chromium (Debian package chromium) is not installed: run `bash .ci/setup`.");

    private static string[] Flags(string profile) =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", $"--user-data-dir={profile}", "--allow-file-access-from-files"];

    [GeneratedRegex("<pre id=\"bnl-check-result\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ResultRegex();
}
