using System.Diagnostics;
using System.Globalization;
using BatchNormLab.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BatchNormLab.Lab;

/// <summary>
/// The lab's page: loads the data, builds a <see cref="LabSession"/> from the controls, trains it a piece at a time
/// (yielding to the browser between pieces so the page stays responsive), and hands the series to lab.js to draw.
/// Query parameters: <c>autostart=1</c> starts at once, <c>steps=N</c> pauses after N steps.
/// </summary>
public partial class LabPage : ComponentBase
{
    // A piece of training lasts about this long before the browser gets the thread back.
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan DrawEvery = TimeSpan.FromMilliseconds(400);
    private const int MaxSliceSteps = 200;

    private string _nets = "both";
    private double _learningRate = 1.0;
    private int _batchSize = 60;
    private double _initScale = Models.WeightInit.DefaultSmallStd;
    private double _momentum = 0.1;
    private int _seed = 1;
    private string _order = "shuffled";
    private int _histogramLayer = 3;

    private (Dataset Train, Dataset Test)? _data;
    private LabSession? _session;
    private bool _running;
    private int? _stopAt;
    private bool _autostart;
    private string _status = "Loading the data …";
    private string _state = "loading";
    private double _wallSeconds;

    [Inject] private HttpClient Http { get; set; } = default!;

    [Inject] private IJSRuntime Js { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private bool Locked => _session is not null;

    /// <inheritdoc/>
    protected override async Task OnInitializedAsync()
    {
        var query = new Uri(Navigation.Uri).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", StringComparer.Ordinal);
        _autostart = query.TryGetValue("autostart", out var a) && a == "1";
        if (query.TryGetValue("steps", out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var steps) && steps > 0) _stopAt = steps;
        if (query.TryGetValue("bench", out var bench) && bench == "1") _status = ProductSpeed();
        try
        {
            _data = await LabData.LoadAsync(Http, m => { _status = m; StateHasChanged(); });
            _status = $"Ready: {_data.Value.Train.Count:N0} training and {_data.Value.Test.Count:N0} test images of Fashion-MNIST. Press Start.";
            _state = "ready";
        }
        catch (Exception e)
        {
            _status = e.Message;
            _state = "error";
            await Js.InvokeVoidAsync("console.error", "BatchNormLab lab: " + e.Message);
        }
    }

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_autostart && _data is not null && _session is null && !_running)
        {
            _autostart = false;
            await Start();
        }
    }

    private LabSettings Settings() => new()
    {
        Plain = _nets != "bn",
        BatchNorm = _nets != "plain",
        LearningRate = _learningRate,
        BatchSize = _batchSize,
        InitScale = _initScale,
        Momentum = _momentum,
        Seed = _seed,
        SortedByClass = _order == "sorted",
        HistogramLayer = _histogramLayer,
    };

    private bool EnsureSession()
    {
        if (_session is not null) return true;
        if (_data is not { } data) return false;
        var settings = Settings();
        if (settings.Problem() is { } problem)
        {
            _status = problem;
            _state = "invalid";
            return false;
        }
        _session = new LabSession(settings, data.Train, data.Test);
        _wallSeconds = 0;
        return true;
    }

    private void LearningRateChanged()
    {
        if (_session is not null && _learningRate > 0 && _learningRate <= 100) _session.LearningRate = _learningRate;
    }

    private async Task Start()
    {
        if (_running || !EnsureSession()) return;
        var session = _session!;
        _running = true;
        _state = "running";
        var pieceSteps = 1;
        var lastDraw = Stopwatch.GetTimestamp();
        await Draw();
        while (_running && session.CanTrain && (_stopAt is null || session.Step < _stopAt))
        {
            var t0 = Stopwatch.GetTimestamp();
            // Train for about one slice, in pieces that grow while they are short (and at most MaxSliceSteps steps,
            // which bounds a slice where the clock does not move, as under a headless browser's virtual time).
            var sliceSteps = 0;
            while (sliceSteps < MaxSliceSteps && Stopwatch.GetElapsedTime(t0) < Slice && session.CanTrain && (_stopAt is null || session.Step < _stopAt))
            {
                var p0 = Stopwatch.GetTimestamp();
                sliceSteps += session.Advance(Math.Min(pieceSteps, _stopAt is { } stop ? stop - session.Step : int.MaxValue));
                if (Stopwatch.GetElapsedTime(p0) < Slice / 4) pieceSteps = Math.Min(pieceSteps * 2, MaxSliceSteps);
            }
            _wallSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            _status = Running(session);
            if (Stopwatch.GetElapsedTime(lastDraw) >= DrawEvery)
            {
                await Draw();
                lastDraw = Stopwatch.GetTimestamp();
            }
            StateHasChanged();
            await Task.Delay(1); // the browser's turn: input, layout, paint
        }
        if (_session != session) return; // reset while training
        _running = false;
        _status = Finished(session);
        _state = session.CanTrain ? "paused" : "diverged";
        if (_stopAt is { } last && session.Step >= last)
        {
            _state = "done";
            _stopAt = null; // Resume goes on from here
        }
        await Draw();
        StateHasChanged();
    }

    private void Pause() => _running = false;

    private async Task StepOnce()
    {
        if (_running || !EnsureSession()) return;
        _session!.Advance(1);
        _status = Finished(_session);
        await Draw();
    }

    private async Task Reset()
    {
        _running = false;
        _session = null;
        _status = "Reset: change the settings, then press Start.";
        _state = "ready";
        await Js.InvokeVoidAsync("bnlLab.clear");
    }

    private async Task Draw()
    {
        if (_session is null) return;
        // JSON has no NaN: 0 means "not measured yet".
        var rate = _session.StepsPerSecond;
        await Js.InvokeVoidAsync("bnlLab.draw", LabCharts.Json(_session, _histogramLayer), double.IsFinite(rate) ? rate : 0, Tensors.Gemm.FloatKernelDescription);
    }

    private static string Running(LabSession s) =>
        $"Training: step {s.Step:N0}, {Rate(s)}.";

    private static string Finished(LabSession s) =>
        $"Paused at step {s.Step:N0} ({Rate(s)}).{(s.CanTrain ? "" : " Every network has diverged: lower the learning rate and reset.")}";

    private static string Rate(LabSession s) =>
        double.IsFinite(s.StepsPerSecond) ? $"{s.StepsPerSecond:N0} network-steps per second in this browser" : "no steps yet";

    /// <summary>Speed of the matrix product of the first layer's forward pass (60 x 784 times 784 x 100), for <c>?bench=1</c>.</summary>
    private static string ProductSpeed()
    {
        var a = new Tensors.Matrix<float>(60, 784);
        var b = new Tensors.Matrix<float>(784, 100);
        var c = new Tensors.Matrix<float>(60, 100);
        a.Data.AsSpan().Fill(0.5f);
        b.Data.AsSpan().Fill(0.25f);
        for (var i = 0; i < 3; i++) Tensors.Gemm.Multiply(a, b, c);
        var t0 = Stopwatch.GetTimestamp();
        const int runs = 20;
        for (var i = 0; i < runs; i++) Tensors.Gemm.Multiply(a, b, c);
        var s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return $"bench: {Tensors.Gemm.FloatKernelDescription}; Vector128 accelerated {System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated}; {2.0 * 60 * 784 * 100 * runs / s / 1e9:F3} GFLOP/s";
    }

    private static string Percent(double v) => double.IsFinite(v) ? v.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
