using System.Globalization;
using System.Text.Json.Nodes;
using BatchNormLab.Lab;
using BatchNormLab.Site;
using Xunit.Abstractions;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The live lab in headless Chromium: it loads, trains both networks to a stated accuracy, draws every chart, fits a phone, logs no error.</summary>
public class LabTests(LabFixture lab, ITestOutputHelper output) : IClassFixture<LabFixture>
{
    /// <summary>The most steps trained (query string); the test pauses as soon as both networks pass <see cref="StatedAccuracy"/>.</summary>
    private const int MaxSteps = 2_000;

    /// <summary>
    /// Both networks must pass this test accuracy at the default settings (η = 1, m = 60; chance is 10 %). Natively, on the same
    /// subset, the network without BN passes it after about 500 steps and the one with BN after about 100.
    /// </summary>
    private const double StatedAccuracy = 0.40;

    private const string Accuracies =
        "(function(){var f=function(id){var e=document.getElementById(id);return e?parseFloat(e.textContent):NaN;};return [f('acc-plain'),f('acc-bn')];})()";

    /// <summary>Trains at a laptop's width, then checks the page there and at a phone's width (the charts redraw to fit).</summary>
    [Fact]
    public async Task Both_networks_learn_in_the_browser_and_every_chart_is_drawn_at_both_widths()
    {
        var width = PageCheck.Wide;
        await using var browser = await DevToolsBrowser.LaunchAsync(width);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await browser.NavigateAsync(lab.Server.Url($"lab/?autostart=1&steps={MaxSteps}"));
        var stated = (StatedAccuracy * 100).ToString(CultureInfo.InvariantCulture);
        var learned = await browser.WaitForAsync(
            $"(function(){{var a={Accuracies};var s=document.getElementById('lab-status');return (a[0]>={stated}&&a[1]>={stated})||(!!s&&/done|error|diverged/.test(s.dataset.state));}})()",
            TimeSpan.FromMinutes(8));
        await browser.EvaluateAsync("document.getElementById('lab-pause').click()");
        Assert.True(await browser.WaitForAsync("document.getElementById('lab-status').dataset.state!=='running'", TimeSpan.FromMinutes(1)), "the lab did not pause");
        var state = (string?)await browser.EvaluateAsync("document.getElementById('lab-status').dataset.state + ': ' + document.getElementById('lab-status').textContent");
        var accuracies = (await browser.EvaluateAsync(Accuracies))!.AsArray().Select(a => a is JsonValue v && v.TryGetValue(out double x) ? x / 100 : double.NaN).ToArray();
        output.WriteLine($"{width} px after {clock.Elapsed.TotalSeconds:F1} s: {state}; test accuracy without BN {accuracies[0]:P1}, with BN {accuracies[1]:P1}");
        Assert.True(learned, $"both networks did not pass {StatedAccuracy:P0} in time: {state}; errors: {string.Join(" | ", browser.Errors)}");
        Assert.True(accuracies.All(a => a >= StatedAccuracy), $"test accuracies {accuracies[0]:P1} and {accuracies[1]:P1}, expected both at least {StatedAccuracy:P0} ({state})");

        var speed = (string?)await browser.EvaluateAsync("document.getElementById('lab-speed').textContent");
        output.WriteLine(speed);
        Assert.Contains("in this browser", speed);
        Assert.Contains("natively", speed);

        foreach (var w in new[] { PageCheck.Wide, PageCheck.Narrow })
        {
            if (w != width) await browser.SetViewportAsync(w);
            await Task.Delay(1500); // plotly redraws on resize
            await CheckLayoutAsync(browser, w);
        }
    }

    private async Task CheckLayoutAsync(DevToolsBrowser browser, int width)
    {
        var charts = (await browser.EvaluateAsync("Array.from(document.querySelectorAll('.bnl-chart')).map(function(c){return c.id + ':' + c.querySelectorAll('.main-svg').length + ':' + c.querySelectorAll('.trace').length;})"))!.AsArray();
        Assert.Equal(4, charts.Count);
        foreach (var c in charts)
        {
            var parts = ((string)c!).Split(':');
            Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) > 0 && int.Parse(parts[2], CultureInfo.InvariantCulture) > 0, $"chart {parts[0]} is not drawn ({c})");
        }
        var overlapped = (await browser.EvaluateAsync(
            "Array.from(document.querySelectorAll('.bnl-chart')).filter(function(c){var svg=c.querySelector('.main-svg');var cap=c.parentElement.querySelector('figcaption');" +
            "return !svg || !cap || svg.getBoundingClientRect().bottom > cap.getBoundingClientRect().top + 1;}).map(function(c){return c.id;})"))!.AsArray();
        Assert.True(overlapped.Count == 0, $"captions overlap charts at {width} px: {string.Join(", ", overlapped)}");
        var sideways = (bool)(await browser.EvaluateAsync("document.documentElement.scrollWidth > document.documentElement.clientWidth"))!;
        Assert.False(sideways, $"the page scrolls sideways at {width} px");
        Assert.True(browser.Errors.IsEmpty, "console errors: " + string.Join(" | ", browser.Errors));
        if (Environment.GetEnvironmentVariable("BATCHNORMLAB_LAB_SCREENSHOTS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await browser.ScreenshotAsync(Path.Combine(dir, $"lab-{width}.png"));
        }
    }

    [Fact]
    public void The_data_files_match_their_sizes_and_hashes_and_are_served_compressed_too()
    {
        foreach (var spec in LabDataFiles.Files)
        {
            var path = Path.Combine(lab.LabDir, LabDataFiles.Folder, spec.FileName);
            Assert.Null(spec.Mismatch(File.ReadAllBytes(path)));
            Assert.True(File.Exists(path + ".br") && File.Exists(path + ".gz"), $"{spec.FileName}: no .br/.gz copy");
        }
        Assert.True(File.Exists(Path.Combine(lab.LabDir, "_framework", "dotnet.js.br")) || Directory.EnumerateFiles(Path.Combine(lab.LabDir, "_framework"), "*.wasm.br").Any(),
            "the published framework has no brotli copies");
    }

    [Fact]
    public async Task Opened_from_a_file_the_page_says_why_it_cannot_run_and_links_the_lessons_charts()
    {
        await using var browser = await DevToolsBrowser.LaunchAsync(PageCheck.Narrow);
        await browser.NavigateAsync(new Uri(Path.Combine(lab.LabDir, "index.html")).AbsoluteUri);
        Assert.True(await browser.WaitForAsync("(function(){var f=document.getElementById('lab-fallback');return !!f && !f.hidden;})()", TimeSpan.FromSeconds(60)), "no fallback shown");
        var html = (string?)await browser.EvaluateAsync("document.getElementById('lab-fallback').innerHTML") ?? "";
        Assert.Contains("web server", html);
        Assert.Contains("../02-distribution-shift.html", html);
        Assert.Contains("../03-learning-with-and-without-bn.html", html);
        Assert.True((bool)(await browser.EvaluateAsync("document.getElementById('lab').hidden"))!, "the lab's controls are shown although it cannot run");
    }

    [Fact]
    public async Task A_damaged_data_file_is_reported_by_name_on_the_page()
    {
        var spec = LabDataFiles.TrainLabels;
        var path = Path.Combine(lab.LabDir, LabDataFiles.Folder, spec.FileName);
        var original = File.ReadAllBytes(path);
        try
        {
            var damaged = (byte[])original.Clone();
            damaged[^1] ^= 1;
            File.WriteAllBytes(path, damaged);
            await using var browser = await DevToolsBrowser.LaunchAsync(PageCheck.Wide);
            await browser.NavigateAsync(lab.Server.Url("lab/"));
            Assert.True(await browser.WaitForAsync("(function(){var s=document.getElementById('lab-status');return !!s && s.dataset.state==='error';})()", TimeSpan.FromMinutes(2)));
            var text = (string?)await browser.EvaluateAsync("document.getElementById('lab-status').textContent") ?? "";
            Assert.Contains(spec.FileName, text);
            Assert.Contains("corrupted", text);
        }
        finally
        {
            File.WriteAllBytes(path, original);
        }
    }
}
