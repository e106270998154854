using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Optimizers;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// A training observer that measures the network as it is at scheduled steps (after that many updates):
/// test accuracy, and every hidden layer's sigmoid input on a fixed probe set of held-out images (see
/// <see cref="Figure1RecordingOptions"/>). Measuring never changes the model: modes and BN's running
/// estimates are restored.
/// </summary>
public sealed class Figure1Recorder : ITrainingObserver
{
    private readonly Sequential<float> _model;
    private readonly Figure1RecordingOptions _options;
    private readonly Dataset? _test;
    private readonly int _steps;
    private readonly ActivationLayer<float>[] _activations;
    private readonly NormalizationLayer<float>[] _norms;
    private readonly Evaluator _evaluator = new();
    private int _nextEval;
    private int _nextProbe;
    private float[] _column = [];
    private float[] _pooled = [];

    /// <summary>Prepares the recording of a run of <paramref name="steps"/> updates of <paramref name="model"/>, evaluated on <paramref name="test"/>.</summary>
    public Figure1Recorder(Sequential<float> model, Figure1RecordingOptions options, Dataset? test, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(steps);
        if (options.EvaluationSteps.Length > 0 && test is null) throw new ArgumentException("Evaluation steps are set but there is no test set.", nameof(test));
        _model = model;
        _options = options;
        _test = test;
        _steps = steps;
        _activations = model.LayersOf<ActivationLayer<float>>().ToArray();
        _norms = model.Normalizations.ToArray();
        var probeSteps = options.ProbeSteps.Distinct().Order().ToArray();
        var units = model.LayersOf<Dense<float>>().Take(_activations.Length).Select(d => d.Weights.Value.Cols).ToArray();
        Figure1LayerRecord[] Records() => _activations.Select((_, l) => new Figure1LayerRecord(l, units[l], probeSteps.Length)).ToArray();
        double[][][] PerUnit() => _norms.Select(n => Enumerable.Range(0, n.Features).Select(_ => new double[probeSteps.Length]).ToArray()).ToArray();
        Recording = new Figure1Recording(options.EvaluationSteps.Distinct().Order().ToArray(), probeSteps, Records(),
            _norms.Length > 0 ? Records() : null, PerUnit(), PerUnit());
    }

    /// <summary>What was recorded so far.</summary>
    public Figure1Recording Recording { get; }

    /// <summary>Time spent measuring.</summary>
    public TimeSpan Time { get; private set; }

    void ITrainingObserver.BeforeStep(int step, Sgd<float> sgd)
    {
        if (step == 0) Record(0);
    }

    void ITrainingObserver.AfterUpdate(int step, Sequential<float> model) => Record(step + 1);

    private void Record(int done)
    {
        var evaluate = _nextEval < Recording.EvaluationSteps.Length && Recording.EvaluationSteps[_nextEval] == done;
        var probe = _nextProbe < Recording.ProbeSteps.Length && Recording.ProbeSteps[_nextProbe] == done;
        if (!evaluate && !probe) return;
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (evaluate)
        {
            var e = _evaluator.Run(_model, _test!, Mode.Inference);
            Recording.TestAccuracy[_nextEval] = e.Accuracy;
            Recording.TestLoss[_nextEval] = e.Loss;
            _nextEval++;
        }
        if (probe)
        {
            var k = _nextProbe++;
            var histogram = Array.IndexOf(_options.HistogramSteps, done) >= 0;
            Probe(Mode.Inference, Recording.Inference, k, done, histogram ? Recording.InferenceHistograms : null);
            if (Recording.Training is not null)
            {
                // Training mode updates the running estimates as a side effect: undo it.
                var saved = RunningStatistics<float>.Capture(_model);
                Probe(Mode.Training, Recording.Training, k, done, histogram ? Recording.TrainingHistograms : null);
                saved.Restore();
                for (var l = 0; l < _norms.Length; l++)
                    for (var j = 0; j < _norms[l].Features; j++)
                    {
                        Recording.Gamma[l][j][k] = _norms[l].Gamma.Value.Data[j];
                        Recording.Beta[l][j][k] = _norms[l].Beta.Value.Data[j];
                    }
            }
        }
        Time += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
    }

    private void Probe(Mode mode, IReadOnlyList<Figure1LayerRecord> records, int k, int step, List<HistogramSnapshot>? histograms)
    {
        var previous = _model.Mode;
        _model.Mode = mode;
        try
        {
            _model.Forward(_options.ProbeSet!.Images);
            Span<double> p = stackalloc double[3];
            for (var l = 0; l < _activations.Length; l++)
            {
                var x = _activations[l].LastInput!;
                var r = records[l];
                int n = x.Rows, d = x.Cols;
                if (_column.Length < n) _column = new float[n];
                if (_pooled.Length < n * d) _pooled = new float[n * d];
                var column = _column.AsSpan(0, n);
                for (var j = 0; j < d; j++)
                {
                    for (var i = 0; i < n; i++) column[i] = x.Data[i * d + j];
                    (r.Mean[j][k], r.StandardDeviation[j][k]) = DistributionStatistics.MeanAndStandardDeviation(column);
                    DistributionStatistics.Percentiles(column, Figure1RecordingOptions.Levels, p);
                    (r.P15[j][k], r.P50[j][k], r.P85[j][k]) = (p[0], p[1], p[2]);
                }
                var all = _pooled.AsSpan(0, n * d);
                x.Data.AsSpan(0, n * d).CopyTo(all);
                r.SaturatedFraction[k] = DistributionStatistics.SaturatedFraction(all, _activations[l].Function);
                if (histograms is not null)
                {
                    float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
                    foreach (var v in all)
                    {
                        lo = Math.Min(lo, v);
                        hi = Math.Max(hi, v);
                    }
                    // The range spans every value (the top edge nudged up so the maximum falls inside the last bin).
                    var max = hi + Math.Max(1e-6, (hi - lo) * 1e-6);
                    var counts = new int[_options.HistogramBins];
                    var (below, above) = DistributionStatistics.Histogram(all, lo, max, counts);
                    histograms.Add(new HistogramSnapshot(step, l, lo, max, counts, below, above));
                }
                DistributionStatistics.Percentiles(all, Figure1RecordingOptions.Levels, p);
                (r.PooledP15[k], r.PooledP50[k], r.PooledP85[k]) = (p[0], p[1], p[2]);
            }
        }
        finally
        {
            _model.Mode = previous;
        }
    }
}
