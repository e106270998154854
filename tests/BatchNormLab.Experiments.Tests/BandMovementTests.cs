using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments.Tests;

public class BandMovementTests
{
    [Fact]
    public void Total_variation_sums_the_absolute_steps()
    {
        Assert.Equal(1 + 2 + 3, BandMovement.TotalVariation([0, 1, -1, 2]));
        Assert.Equal(0, BandMovement.TotalVariation([5]));
        Assert.Equal(0, BandMovement.TotalVariation([2, 2, 2]));
    }

    [Fact]
    public void Movement_of_a_recorded_history_matches_its_percentile_curves()
    {
        var train = SyntheticData.GaussianBlobs(3, 10, 80, seed: 5, separation: 1.5);
        var r = Figure1Experiment.Run(new Figure1Options
        {
            Sizes = [10, 12, 12, 3], Steps = 120, BatchSize = 16, LearningRate = 1, InitScale = 0.5,
            EvaluateEvery = 60, ProbeEvery = 10, HistogramSteps = [],
        }, train, train);
        var h = r.WithoutBatchNorm;
        var from = 30;
        var m = BandMovement.Of(h, 1, from);
        var k0 = Array.FindIndex(h.ProbeSteps, s => s >= from);
        Assert.Equal(30, m.FromStep);
        Assert.Equal(h.ProbeSteps.Length - k0, m.Probes);
        var series = h.Layers[1].Pooled;
        double Tv(double[] p) => p.Skip(k0).Zip(p.Skip(k0 + 1), (a, b) => Math.Abs(b - a)).Sum();
        Assert.Equal(Tv(series.Percentile(15)) + Tv(series.Percentile(50)) + Tv(series.Percentile(85)), m.BandTotalVariation, 12);
        var med = series.Percentile(50).Skip(k0).ToArray();
        Assert.Equal(med.Max(v => Math.Abs(v - med[0])), m.MedianDrift, 12);
        Assert.Equal(series.Percentile(85)[^1] - series.Percentile(15)[^1], m.WidthEnd, 12);
        Assert.Equal(series.Percentile(85)[k0] - series.Percentile(15)[k0], m.WidthStart, 12);
        Assert.True(m.BandTotalVariation > 0);
        Assert.Equal(2, r.Movements(from).Count);
    }

    [Fact]
    public void Too_few_probes_is_a_clear_error()
    {
        var h = Figure1Experiment.Run(new Figure1Options
        {
            Sizes = [10, 12, 3], Steps = 20, BatchSize = 16, EvaluateEvery = 10, ProbeEvery = 10, HistogramSteps = [],
        }, SyntheticData.GaussianBlobs(3, 10, 40, seed: 5), SyntheticData.GaussianBlobs(3, 10, 10, seed: 6)).WithBatchNorm;
        var e = Assert.Throws<ArgumentException>(() => BandMovement.Of(h, 0, fromStep: 15));
        Assert.Contains("at least 2 probes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BandMovement.Of(h, 1));
    }

    [Fact]
    public void Spread_is_the_pointwise_mean_std_min_and_max()
    {
        var s = SeriesSpread.Of([[1, 2, 3], [3, 2, 1, 9]]);
        Assert.Equal([2, 2, 2], s.Mean);
        Assert.Equal([1, 0, 1], s.StandardDeviation);
        Assert.Equal([1, 2, 1], s.Min);
        Assert.Equal([3, 2, 3], s.Max);
        Assert.Throws<ArgumentException>(() => SeriesSpread.Of([]));
    }
}
