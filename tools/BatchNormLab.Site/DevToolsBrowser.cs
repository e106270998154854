using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchNormLab.Site;

/// <summary>
/// Headless Chromium driven through the DevTools protocol, for pages that compute for a while (the WebAssembly lab):
/// unlike <c>--dump-dom</c> with a virtual time budget, the page runs in real time and can be polled. Collects every
/// console error, uncaught exception and failed load the page reports. One page, at a chosen viewport width.
/// </summary>
public sealed class DevToolsBrowser : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receive = Task.CompletedTask;
    private int _nextId;

    private DevToolsBrowser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and failed loads, in order.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Starts Chromium with a blank page whose viewport is <paramref name="width"/> x <paramref name="height"/> CSS pixels.</summary>
    public static async Task<DevToolsBrowser> LaunchAsync(int width, int height = 900)
    {
        var chromium = ProcessRunner.FindOnPath("chromium")
            ?? throw new InvalidOperationException("chromium (Debian package chromium) is not installed: run `bash .ci/setup`.");
        var profile = Directory.CreateTempSubdirectory("bnl-chromium-").FullName;
        var info = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                     $"--window-size={Math.Max(width, 500)},{height}", "about:blank" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start chromium.");
        var browser = new DevToolsBrowser(process, profile);
        try
        {
            var endpoint = await ReadEndpointAsync(process);
            using var http = new HttpClient();
            var port = new Uri(endpoint).Port;
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            browser._receive = Task.Run(browser.ReceiveAsync);
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Log.enable");
            await browser.SendAsync("Page.enable");
            await browser.SetViewportAsync(width, height);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ReadEndpointAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            const string marker = "DevTools listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return line[(at + marker.Length)..].Trim();
        }
        throw new InvalidOperationException("chromium exited before opening its DevTools port.");
    }

    /// <summary>Resizes the viewport to <paramref name="width"/> x <paramref name="height"/> CSS pixels (the page gets a resize event).</summary>
    public Task SetViewportAsync(int width, int height = 900) =>
        SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });

    /// <summary>Opens <paramref name="url"/>.</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (JSON), awaiting promises.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result?["exceptionDetails"] is { } e) throw new InvalidOperationException($"Evaluating '{expression}' threw: {e.ToJsonString()}");
        return result?["result"]?["value"];
    }

    /// <summary>Polls <paramref name="expression"/> every half second until it is true; false if <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForAsync(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await EvaluateAsync(expression) is JsonValue v && v.TryGetValue(out bool b) && b) return true;
            await Task.Delay(500);
        }
        return false;
    }

    /// <summary>Saves a PNG of the whole page (beyond the viewport), or of <paramref name="height"/> CSS pixels from <paramref name="top"/>.</summary>
    public async Task ScreenshotAsync(string path, int top = 0, int? height = null)
    {
        var request = new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true };
        if (height is { } h)
        {
            var width = (double)(await EvaluateAsync("document.documentElement.clientWidth"))!;
            request["clip"] = new JsonObject { ["x"] = 0, ["y"] = top, ["width"] = width, ["height"] = h, ["scale"] = 1 };
        }
        var result = await SendAsync("Page.captureScreenshot", request);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)result!["data"]!));
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var done = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                if (node?["id"] is { } id)
                {
                    if (_pending.TryRemove((int)id, out var done))
                    {
                        if (node["error"] is { } error) done.SetException(new InvalidOperationException($"DevTools: {error.ToJsonString()}"));
                        else done.SetResult(node["result"]);
                    }
                    continue;
                }
                Observe((string?)node?["method"], node?["params"]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // closing
        }
    }

    private void Observe(string? method, JsonNode? p)
    {
        switch (method)
        {
            case "Runtime.consoleAPICalled" when Text(p, "type") is "error" or "assert":
                Errors.Enqueue("console." + Text(p, "type") + ": " + string.Join(" ", p!["args"]!.AsArray().Select(a => Text(a, "value") ?? Text(a, "description") ?? "")));
                break;
            case "Runtime.exceptionThrown":
                var d = p?["exceptionDetails"];
                Errors.Enqueue("uncaught: " + (Text(d?["exception"], "description") ?? Text(d, "text")));
                break;
            case "Log.entryAdded" when Text(p?["entry"], "level") == "error":
                Errors.Enqueue("log: " + Text(p!["entry"], "text") + " " + Text(p["entry"], "url"));
                break;
        }
    }

    private static string? Text(JsonNode? node, string name) => node?[name]?.ToString();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or WebSocketException)
        {
            // killed below
        }
        _stop.Cancel();
        try { await _receive.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
