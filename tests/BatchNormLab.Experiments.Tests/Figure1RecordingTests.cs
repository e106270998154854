using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Layers;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

/// <summary>
/// Notebook 02's pair with the probe set recorded, on a short run (3,000 of the paper's 50,000 steps), run
/// once for the class: the headlines the notebook states that already hold this early.
/// </summary>
public sealed class Figure1RecordingFixture
{
    public const int Steps = 3_000;

    public Figure1RecordingFixture()
    {
        var data = FashionMnist.Load();
        Options = new Figure1Options { Steps = Steps, EvaluateEvery = Steps, EvaluateAtStart = false, ProbeEvery = 0, HistogramSteps = [] };
        Recording = new Figure1RecordingOptions
        {
            ProbeSet = data.Test.Take(500),
            ProbeSteps = Figure1RecordingOptions.LogAndLinear(Steps, 4, 60),
            HistogramSteps = [0, Steps],
            EvaluationSteps = [0, 100, Steps],
        };
        Result = Figure1Experiment.Run(Options, data.Train, data.Test.Take(2_000), Recording);
    }

    public Figure1Options Options { get; }

    public Figure1RecordingOptions Recording { get; }

    public Figure1Result Result { get; }
}

public class Figure1RecordingTests(Figure1RecordingFixture fixture, ITestOutputHelper output) : IClassFixture<Figure1RecordingFixture>
{
    private readonly Figure1Recording _plain = fixture.Result.RecordingWithout!;
    private readonly Figure1Recording _bn = fixture.Result.RecordingWith!;
    private int[] Steps => _plain.ProbeSteps;

    [Fact]
    public void Recording_measures_without_changing_the_training()
    {
        // The same pair without a recorder ends with the same bits: probing restores modes and running estimates.
        var data = FashionMnist.Load();
        var plainRun = Figure1Experiment.Run(fixture.Options with { Steps = 300 }, data.Train, data.Test.Take(200));
        var recorded = Figure1Experiment.Run(fixture.Options with { Steps = 300 }, data.Train, data.Test.Take(200),
            fixture.Recording with { ProbeSteps = [0, 1, 150, 300], HistogramSteps = [150], EvaluationSteps = [0, 300] });
        Assert.Equal(plainRun.WithBatchNorm.StepLoss, recorded.WithBatchNorm.StepLoss);
        foreach (var (a, b) in plainRun.ModelWith.Parameters.Zip(recorded.ModelWith.Parameters)) Assert.Equal(a.Value.Data, b.Value.Data);
        foreach (var (a, b) in plainRun.ModelWith.LayersOf<Normalization.BatchNorm<float>>().Zip(recorded.ModelWith.LayersOf<Normalization.BatchNorm<float>>()))
        {
            Assert.Equal(a.RunningMean, b.RunningMean);
            Assert.Equal(a.RunningVariance, b.RunningVariance);
        }
        Assert.Equal(Mode.Training, recorded.ModelWith.Mode);
        Assert.Equal(plainRun.FinalAccuracyWith, recorded.RecordingWith!.TestAccuracy[^1]);
    }

    [Fact]
    public void In_training_mode_each_units_mean_is_beta_and_its_spread_gamma_by_construction()
    {
        var t = _bn.Training!;
        for (var l = 0; l < 3; l++)
            for (var j = 0; j < t[l].Units; j++)
                for (var k = 0; k < Steps.Length; k++)
                {
                    Assert.Equal(_bn.Beta[l][j][k], t[l].Mean[j][k], 1e-3);
                    Assert.Equal(1.0, t[l].StandardDeviation[j][k] / Math.Abs(_bn.Gamma[l][j][k]), 1e-2);
                }
        Assert.Null(_plain.Training);
        // ...and γ, β did move: that is what is left to move the band.
        Assert.Contains(_bn.Gamma[2], g => Math.Abs(g[^1] - 1) > 0.05);
    }

    [Fact]
    public void At_step_0_BN_in_inference_mode_passes_the_plain_networks_inputs()
    {
        // Moving averages start at E = 0, Var = 1: the untrained BN network in inference mode computes u / √(1 + ε).
        for (var l = 0; l < 3; l++)
        {
            Assert.Equal(_plain.Inference[l].PooledP50[0], _bn.Inference[l].PooledP50[0], 1e-4);
            Assert.Equal(_plain.Inference[l].PooledP85[0], _bn.Inference[l].PooledP85[0], 1e-4);
        }
    }

    [Fact]
    public void In_layers_1_and_2_the_band_travels_less_than_two_thirds_as_far_with_BN()
    {
        for (var l = 0; l < 2; l++)
        {
            var without = _plain.Inference[l].PooledMovement(Steps);
            var with = _bn.Inference[l].PooledMovement(Steps);
            output.WriteLine($"layer {l + 1}: TV {without.BandTotalVariation:F2} vs {with.BandTotalVariation:F2}; drift {without.MedianDrift:F2} vs {with.MedianDrift:F2}");
            Assert.True(without.BandTotalVariation > 1.5 * with.BandTotalVariation, $"layer {l + 1}: {without.BandTotalVariation:F2} vs {with.BandTotalVariation:F2}");
            Assert.True(with.MedianDrift < 0.3, $"layer {l + 1}: BN median drift {with.MedianDrift:F2}");
            Assert.True(without.MedianDrift > 1, $"layer {l + 1}: plain median drift {without.MedianDrift:F2}");
        }
    }

    [Fact]
    public void In_layer_3_the_BN_median_follows_the_learned_beta()
    {
        var train3 = _bn.Training![2].PooledMovement(Steps);
        var train1 = _bn.Training[0].PooledMovement(Steps);
        output.WriteLine($"training-mode median drift: layer 3 {train3.MedianDrift:F2}, layer 1 {train1.MedianDrift:F2}");
        Assert.True(train3.MedianDrift > 0.5 && train1.MedianDrift < 0.2);
        Assert.True(Enumerable.Range(0, 100).Average(j => _bn.Beta[2][j][^1]) < -0.5);
    }

    [Fact]
    public void Every_layer_ends_with_fewer_saturated_inputs_with_BN()
    {
        for (var l = 0; l < 3; l++)
            Assert.True(_plain.Inference[l].SaturatedFraction[^1] > _bn.Inference[l].SaturatedFraction[^1],
                $"layer {l + 1}: {_plain.Inference[l].SaturatedFraction[^1]:P1} vs {_bn.Inference[l].SaturatedFraction[^1]:P1}");
    }

    [Fact]
    public void Histograms_count_every_value_inside_their_range()
    {
        var all = _plain.InferenceHistograms.Concat(_bn.InferenceHistograms).Concat(_bn.TrainingHistograms).ToArray();
        Assert.Equal(3 * 2 * 3, all.Length);
        Assert.All(all, h =>
        {
            Assert.Equal(0, h.Below);
            Assert.Equal(0, h.Above);
            Assert.Equal(500 * 100, h.Total);
        });
    }

    [Fact]
    public void The_typical_unit_sits_in_the_middle_of_both_networks()
    {
        var typical = Figure1TypicalUnit.Choose(_plain.Inference[2], _bn.Inference[2], Steps);
        Assert.InRange(typical.RankWithout, 0.4, 0.6);
        Assert.InRange(typical.RankWith, 0.4, 0.6);
        Assert.Equal(typical.MovementWithout[typical.Unit], _plain.Inference[2].UnitMovement(typical.Unit, Steps).BandTotalVariation);
    }

    [Fact]
    public void Ranks_place_each_value_among_all()
    {
        Assert.Equal([0.5, 0, 1], Figure1TypicalUnit.Ranks([2.0, 1.0, 3.0]));
        Assert.Throws<ArgumentException>(() => Figure1TypicalUnit.Ranks([1.0]));
    }

    [Fact]
    public void The_schedule_reads_on_linear_and_log_axes()
    {
        var s = Figure1RecordingOptions.LogAndLinear(50_000, 8, 200);
        Assert.Equal(0, s[0]);
        Assert.Equal(50_000, s[^1]);
        Assert.Contains(1, s);
        Assert.Contains(10, s);
        Assert.Contains(250, s);
        Assert.Equal(s.Order(), s);
        Assert.Equal(s.Distinct(), s);
        Assert.Throws<ArgumentException>(() => new Figure1RecordingOptions { ProbeSteps = [0] }.Validate(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure1RecordingOptions { EvaluationSteps = [11] }.Validate(10));
    }
}
