using BatchNormLab.Layers;
using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;
using MathNet.Numerics.Statistics;

namespace BatchNormLab.Tests.Training;

public class ProbeTests
{
    private static readonly MlpOptions Net = new() { Sizes = [6, 12, 10, 3], InitScale = 0.8 };

    private static Dataset Blobs() => SyntheticData.GaussianBlobs(3, 6, 100, seed: 9);

    [Theory]
    [InlineData(NormalizationKind.None)]
    [InlineData(NormalizationKind.BatchNorm)]
    public void Probe_statistics_equal_a_direct_computation_on_the_layer_input(NormalizationKind norm)
    {
        const int steps = 25;
        var model = Mlp<float>.Create(Net with { Normalization = norm }, seed: 1);
        var options = new TrainingOptions
        {
            Steps = steps, LearningRate = 0.5,
            Probes = new() { Steps = [steps - 1], TrackedUnits = [0, 7], Percentiles = [5, 15, 50, 85] },
        };
        // No test set: nothing runs after the last step's forward pass, so LastInput is what the probe saw.
        var h = Trainer.Train(model, new MinibatchIterator(Blobs(), 20, seed: 2), test: null, options);

        Assert.Equal([steps - 1], h.ProbeSteps);
        Assert.Equal(3 - 1, h.Layers.Count);
        for (var l = 0; l < h.Layers.Count; l++)
        {
            var x = model.LayersOf<ActivationLayer<float>>()[l].LastInput!;
            Assert.Equal(20, x.Rows);
            var probe = h.Layers[l];
            Assert.Equal(model.LayersOf<ActivationLayer<float>>()[l].Name, probe.Name);
            Check(probe.Pooled, x.Data.Select(v => (double)v).ToArray());
            foreach (var u in new[] { 0, 7 })
                Check(probe.Unit(u), Enumerable.Range(0, x.Rows).Select(r => (double)x[r, u]).ToArray());
        }

        static void Check(DistributionSeries s, double[] values)
        {
            Assert.Single(s.Mean);
            foreach (var p in new[] { 5.0, 15, 50, 85 })
                Assert.Equal(Statistics.QuantileCustom(values, p / 100, QuantileDefinition.R7), s.Percentile(p)[0], 5);
            Assert.Equal(values.Mean(), s.Mean[0], 5);
            Assert.Equal(values.PopulationStandardDeviation(), s.StandardDeviation[0], 5);
            Assert.Equal(values.Count(v => ActivationMath.IsSaturated(Activation.Sigmoid, v)) / (double)values.Length, s.SaturatedFraction[0], 12);
        }
    }

    [Fact]
    public void Probes_follow_the_schedule_and_histograms_count_every_value()
    {
        var model = Mlp<float>.Create(Net, seed: 1);
        var options = new TrainingOptions
        {
            Steps = 50, LearningRate = 0.5, Probes = new() { Every = 20, Steps = [5], HistogramSteps = [0, 49], HistogramBins = 8 },
        };
        var h = Trainer.Train(model, new MinibatchIterator(Blobs(), 20, seed: 2), test: null, options);

        Assert.Equal([0, 5, 20, 40], h.ProbeSteps);
        Assert.All(h.Layers, l => Assert.Equal(4, l.Pooled.Percentile(50).Length));
        Assert.Equal(2 * 2, h.Histograms.Count);
        Assert.All(h.Histograms, s => Assert.Equal(20 * model.LayersOf<Dense<float>>()[s.Layer].OutputSize, s.Total));
        Assert.Equal([0, 49], h.HistogramsOf(1).Select(s => s.Step));
        // The pooled percentiles are ordered at every probe.
        Assert.All(h.Layers, l => Assert.All(Enumerable.Range(0, 4), k =>
            Assert.True(l.Pooled.Percentile(15)[k] <= l.Pooled.Percentile(50)[k] && l.Pooled.Percentile(50)[k] <= l.Pooled.Percentile(85)[k])));
    }

    [Fact]
    public void Asking_for_an_unrecorded_percentile_or_unit_names_what_was_recorded()
    {
        var h = Trainer.Train(Mlp<float>.Create(Net, seed: 1), new MinibatchIterator(Blobs(), 20), null,
            new TrainingOptions { Steps = 3, Probes = new() { Every = 1 } });
        Assert.Contains("15, 50, 85", Assert.Throws<ArgumentOutOfRangeException>(() => h.Layers[0].Pooled.Percentile(90)).Message);
        Assert.Contains("tracked: 0", Assert.Throws<ArgumentOutOfRangeException>(() => h.Layers[0].Unit(3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(Mlp<float>.Create(Net, seed: 1), new MinibatchIterator(Blobs(), 20), null,
            new TrainingOptions { Steps = 3, Probes = new() { Every = 1, TrackedUnits = [10] } }));
    }
}
