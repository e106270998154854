using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Models;

namespace BatchNormLab.Training;

/// <summary>
/// The probes as a training observer: at the scheduled steps, reads every nonlinearity's input (the
/// current training batch, after the forward pass) and summarises it into preallocated series.
/// Allocates only on the first probe (a scratch buffer) and for histogram snapshots.
/// </summary>
/// <remarks>
/// A probe summarises a copy of each layer's input (6,000 values at batch 60 and 100 units; percentiles by
/// selection), so probe every k steps: k = 50 over 50,000 steps gives 1,000 points per curve for about 1 %.
/// </remarks>
public sealed class LayerProbes : ITrainingObserver
{
    private readonly ProbeOptions _options;
    private readonly ActivationLayer<float>[] _activations;
    private readonly int[][] _units;
    private readonly int[] _schedule;
    private readonly bool[] _isHistogram;
    private float[] _scratch = [];
    private int _next;

    /// <summary>Prepares the series for a run of <paramref name="steps"/> updates of <paramref name="model"/>.</summary>
    public LayerProbes(Sequential<float> model, ProbeOptions options, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(steps);
        _options = options;
        _schedule = options.Schedule(steps);
        _isHistogram = new bool[steps];
        foreach (var s in options.HistogramSteps) _isHistogram[s] = true;
        _activations = model.LayersOf<ActivationLayer<float>>().ToArray();
        var levels = (double[])options.Percentiles.Clone();
        var tracked = options.TrackedUnits.Distinct().ToArray();
        _units = new int[_activations.Length][];
        var layers = new List<LayerProbe>();
        for (var l = 0; l < _activations.Length; l++)
        {
            var act = _activations[l];
            _units[l] = tracked;
            var units = tracked.Select(u => new UnitProbe(u, new DistributionSeries(levels, _schedule.Length))).ToArray();
            layers.Add(new LayerProbe(l, act.Name, act.Function, new DistributionSeries(levels, _schedule.Length), units));
        }
        Layers = layers;
    }

    /// <summary>One entry per nonlinearity (hidden layer), in order.</summary>
    public IReadOnlyList<LayerProbe> Layers { get; }

    /// <summary>Histogram snapshots, ordered by step then layer.</summary>
    public List<HistogramSnapshot> Histograms { get; } = [];

    /// <summary>The steps probed so far.</summary>
    public int[] ProbedSteps => _schedule[.._next];

    /// <summary>Time spent probing.</summary>
    public TimeSpan Time { get; private set; }

    void ITrainingObserver.AfterForward(int step, Sequential<float> model, Batch batch, float loss)
    {
        var probe = _next < _schedule.Length && _schedule[_next] == step;
        var histogram = step < _isHistogram.Length && _isHistogram[step];
        if (!probe && !histogram) return;
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (probe) Record(_next++);
        if (histogram) RecordHistograms(step);
        Time += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
    }

    /// <summary>Drops the series' unfilled tail (a run that stopped early).</summary>
    public void Truncate()
    {
        foreach (var layer in Layers)
        {
            layer.Pooled.Truncate(_next);
            foreach (var unit in layer.Units) unit.Series.Truncate(_next);
        }
    }

    private void Record(int k)
    {
        for (var l = 0; l < Layers.Count; l++)
        {
            var x = Input(l);
            var n = x.Data.Length;
            if (_scratch.Length < n) _scratch = new float[n];
            var values = _scratch.AsSpan(0, n);
            x.Data.CopyTo(values);
            var probe = Layers[l];
            probe.Pooled.Record(k, values, probe.Activation);
            var rows = x.Rows;
            var cols = x.Cols;
            for (var i = 0; i < probe.Units.Count; i++)
            {
                var u = _units[l][i];
                if ((uint)u >= (uint)cols)
                    throw new ArgumentOutOfRangeException(nameof(ProbeOptions.TrackedUnits), u, $"Tracked unit {u} does not exist in hidden layer {l} ({probe.Name}, {cols} units).");
                var column = _scratch.AsSpan(0, rows);
                for (var r = 0; r < rows; r++) column[r] = x.Data[r * cols + u];
                probe.Units[i].Series.Record(k, column, probe.Activation);
            }
        }
    }

    private void RecordHistograms(int step)
    {
        for (var l = 0; l < Layers.Count; l++)
        {
            var counts = new int[_options.HistogramBins];
            var (below, above) = DistributionStatistics.Histogram(Input(l).Data, _options.HistogramMin, _options.HistogramMax, counts);
            Histograms.Add(new HistogramSnapshot(step, l, _options.HistogramMin, _options.HistogramMax, counts, below, above));
        }
    }

    private Tensors.Matrix<float> Input(int l) =>
        _activations[l].LastInput ?? throw new InvalidOperationException($"Hidden layer {l} has not run forward yet.");
}
