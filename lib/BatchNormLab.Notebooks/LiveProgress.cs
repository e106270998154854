using System.Diagnostics;
using System.Net;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace BatchNormLab.Notebooks;

/// <summary>
/// A progress line that updates in place while a cell runs (one notebook output, rewritten), so a
/// long training cell shows where it is. Pass it as an experiment's <see cref="IProgress{T}"/> (or
/// <see cref="Training"/> as a trainer's), and pass <see cref="Token"/> as the cancellation token:
/// stopping the cell stops the training. Reports may come from several threads; updates are serialised and throttled. Outside a
/// kernel it shows nothing.
/// </summary>
public sealed class LiveProgress : IProgress<BatchNormLab.Experiments.ExperimentProgress>
{
    private readonly DisplayedValue? _display;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _title;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private long _lastUpdateMs = -1;

    private LiveProgress(string title)
    {
        _title = title;
        Setup.Register();
        var context = KernelInvocationContext.Current;
        Token = context?.CancellationToken ?? CancellationToken.None;
        _display = context is null ? null : Kernel.display(Html(0, 0, "starting"), HtmlFormatter.MimeType);
    }

    /// <summary>Cancelled when the reader stops the running cell (None outside a kernel).</summary>
    public CancellationToken Token { get; }

    /// <summary>Shows a progress line titled <paramref name="title"/> in the running cell's output.</summary>
    public static LiveProgress Start(string title) => new(title);

    /// <summary>Minimum time between two updates of the display.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Elapsed time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> steps with an optional detail (e.g. the loss).</summary>
    public void Report(long done, long total, string? detail = null)
    {
        lock (_gate)
        {
            var now = _clock.ElapsedMilliseconds;
            if (_lastUpdateMs >= 0 && now - _lastUpdateMs < Interval.TotalMilliseconds && done < total) return;
            _lastUpdateMs = now;
            _display?.Update(Html(done, total, detail));
        }
    }

    /// <summary>Reports a trainer's progress, and any problem it noticed.</summary>
    public void Report(BatchNormLab.Training.TrainingProgress p) =>
        Report(p.Step, p.TotalSteps, Detail(p));

    /// <summary>This line as a trainer's <see cref="IProgress{T}"/> (for <c>Trainer.Train</c> called directly).</summary>
    public IProgress<BatchNormLab.Training.TrainingProgress> Training => new TrainerReports(this);

    private sealed class TrainerReports(LiveProgress line) : IProgress<BatchNormLab.Training.TrainingProgress>
    {
        public void Report(BatchNormLab.Training.TrainingProgress value) => line.Report(value);
    }

    /// <summary>Reports an experiment's progress over all its runs.</summary>
    public void Report(BatchNormLab.Experiments.ExperimentProgress p) =>
        Report(p.StepsDone, p.StepsTotal, p.Latest is { } t ? $"{p.Run}: {Detail(t)}" : p.Run);

    private static string Detail(BatchNormLab.Training.TrainingProgress p) =>
        (double.IsNaN(p.TestAccuracy) ? $"loss {p.Loss:F3}" : $"loss {p.Loss:F3}, test accuracy {p.TestAccuracy:P1}") +
        (p.Problem is { } problem ? $" - {problem.Message}" : "");

    /// <summary>Replaces the progress line with a final one.</summary>
    public void Done(string? summary = null) =>
        _display?.Update(new ProgressLine(Line($"{_title}: done in {_clock.Elapsed.TotalSeconds:F1} s" + (summary is null ? "" : $" - {summary}"), 1.0)));

    private ProgressLine Html(long done, long total, string? detail)
    {
        var fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        var text = $"{_title}: {done:N0} / {total:N0} ({fraction:P0}), {_clock.Elapsed.TotalSeconds:F1} s" + (detail is null ? "" : $" - {detail}");
        return new ProgressLine(Line(text, fraction));
    }

    // The progress attribute marks this display's states, so that the site build can drop them.
    internal string Line(string text, double fraction) =>
        $"<div class=\"bnl-progress\" {PageContract.ProgressAttribute}=\"{_id}\" style=\"font-family: monospace; font-size: 12px;\">" +
        $"<progress value=\"{fraction:F3}\" max=\"1\" style=\"width: 200px; vertical-align: middle;\"></progress> " +
        WebUtility.HtmlEncode(text) + "</div>";
}

/// <summary>The HTML of one state of a <see cref="LiveProgress"/> display.</summary>
/// <param name="Html">The markup shown.</param>
public sealed record ProgressLine(string Html);
