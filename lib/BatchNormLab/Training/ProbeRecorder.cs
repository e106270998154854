using BatchNormLab.Models;

namespace BatchNormLab.Training;

/// <summary>
/// Records the probes of <see cref="Trainer"/>: reads every hidden layer's nonlinearity input
/// (the current training batch) and summarises it into preallocated series. Allocates only on the
/// first call (scratch buffers) and for histogram snapshots.
/// </summary>
internal sealed class ProbeRecorder
{
    private readonly Mlp<float> _model;
    private readonly TrainingOptions _options;
    private readonly int[][] _units;
    private float[] _scratch = [];

    public ProbeRecorder(Mlp<float> model, TrainingOptions options, int probes)
    {
        _model = model;
        _options = options;
        var levels = (double[])options.ProbePercentiles.Clone();
        var layers = new List<LayerProbe>();
        _units = new int[model.Hidden.Count][];
        for (var l = 0; l < model.Hidden.Count; l++)
        {
            var act = model.Hidden[l].Activation;
            var width = model.Hidden[l].Dense.OutputSize;
            foreach (var u in options.TrackedUnits)
                if ((uint)u >= (uint)width)
                    throw new ArgumentOutOfRangeException(nameof(options), u, $"Tracked unit {u} does not exist in hidden layer {l} ({act.Name}, {width} units).");
            _units[l] = options.TrackedUnits.Distinct().ToArray();
            var units = _units[l].Select(u => new UnitProbe(u, new DistributionSeries(levels, probes))).ToArray();
            layers.Add(new LayerProbe(l, act.Name, act.Function, new DistributionSeries(levels, probes), units));
        }
        Layers = layers;
    }

    public IReadOnlyList<LayerProbe> Layers { get; }

    public List<HistogramSnapshot> Histograms { get; } = [];

    /// <summary>Stores probe <paramref name="k"/> from the layers' last forward pass.</summary>
    public void Record(int k)
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
                var column = _scratch.AsSpan(0, rows);
                for (var r = 0; r < rows; r++) column[r] = x.Data[r * cols + u];
                probe.Units[i].Series.Record(k, column, probe.Activation);
            }
        }
    }

    /// <summary>Adds a histogram of every hidden layer's input at <paramref name="step"/>.</summary>
    public void RecordHistograms(int step)
    {
        for (var l = 0; l < Layers.Count; l++)
        {
            var counts = new int[_options.HistogramBins];
            var (below, above) = DistributionStatistics.Histogram(Input(l).Data, _options.HistogramMin, _options.HistogramMax, counts);
            Histograms.Add(new HistogramSnapshot(step, l, _options.HistogramMin, _options.HistogramMax, counts, below, above));
        }
    }

    public void Truncate(int probes)
    {
        foreach (var layer in Layers)
        {
            layer.Pooled.Truncate(probes);
            foreach (var unit in layer.Units) unit.Series.Truncate(probes);
        }
    }

    private Tensors.Matrix<float> Input(int l) =>
        _model.Hidden[l].Activation.LastInput ?? throw new InvalidOperationException($"Hidden layer {l} has not run forward yet.");
}
