using System.Globalization;
using System.Text.Json.Nodes;
using BatchNormLab.Lab;
using BatchNormLab.Site;
using Xunit.Abstractions;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The live lab in headless Chromium: it loads, trains both networks to a stated accuracy, draws every chart, fits a phone, logs no error.</summary>
public class LabTests(LabFixture lab, ITestOutputHelper output) : IClassFixture<LabFixture>
{
    /// <summary>Steps trained through the query string.</summary>
    private const int Steps = 1_000;

    /// <summary>
    /// Both networks must pass this test accuracy after <see cref="Steps"/> steps at the default settings (η = 1, m = 60): at chance
    /// they would score 10 %; natively, on the same subset, both pass 75 % by then.
    /// </summary>
    private const double StatedAccuracy = 0.70;

    [Theory]
    [InlineData(PageCheck.Wide)]
    [InlineData(PageCheck.Narrow)]
    public async Task Both_networks_learn_in_the_browser_and_every_chart_is_drawn(int width)
    {
        await using var browser = await DevToolsBrowser.LaunchAsync(width);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await browser.NavigateAsync(lab.Server.Url($"lab/?autostart=1&steps={Steps}"));
        var finished = await browser.WaitForAsync(
            "(function(){var s=document.getElementById('lab-status');return !!s && (s.dataset.state==='done'||s.dataset.state==='error'||s.dataset.state==='diverged');})()",
            TimeSpan.FromMinutes(6));
        var state = (string?)await browser.EvaluateAsync("document.getElementById('lab-status').dataset.state + ': ' + document.getElementById('lab-status').textContent");
        output.WriteLine($"{width} px after {clock.Elapsed.TotalSeconds:F1} s: {state}");
        Assert.True(finished, $"the lab did not finish {Steps} steps: {state}; errors: {string.Join(" | ", browser.Errors)}");
        Assert.StartsWith("done", state);

        foreach (var id in new[] { "acc-plain", "acc-bn" })
        {
            var text = (string?)await browser.EvaluateAsync($"document.getElementById('{id}').textContent") ?? "";
            var accuracy = double.Parse(text.TrimEnd('%'), CultureInfo.InvariantCulture) / 100;
            output.WriteLine($"{id}: {accuracy:P1}");
            Assert.True(accuracy >= StatedAccuracy, $"{id}: test accuracy {accuracy:P1} after {Steps} steps, expected at least {StatedAccuracy:P0}");
        }
        var speed = (string?)await browser.EvaluateAsync("document.getElementById('lab-speed').textContent");
        output.WriteLine(speed);
        Assert.Contains("in this browser", speed);
        Assert.Contains("natively", speed);

        var charts = (await browser.EvaluateAsync("Array.from(document.querySelectorAll('.bnl-chart')).map(function(c){return c.id + ':' + c.querySelectorAll('.main-svg').length + ':' + c.querySelectorAll('.trace').length;})"))!.AsArray();
        Assert.Equal(4, charts.Count);
        foreach (var c in charts)
        {
            var parts = ((string)c!).Split(':');
            Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) > 0 && int.Parse(parts[2], CultureInfo.InvariantCulture) > 0, $"chart {parts[0]} is not drawn ({c})");
        }
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
