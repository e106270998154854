using Xunit.Abstractions;
using BatchNormLab.Data;
using BatchNormLab.Experiments;

namespace BatchNormLab.Experiments.Tests;

/// <summary>
/// The paper's Figure 1 pair on Fashion-MNIST with a small budget, run once for the class: the
/// default setup except for the number of steps, evaluated on the first 2,000 test images.
/// </summary>
public sealed class Figure1Fixture
{
    public const int Steps = 1_000;

    public Figure1Fixture()
    {
        var data = FashionMnist.Load();
        Options = new Figure1Options { Steps = Steps, EvaluateEvery = Steps / 10, ProbeEvery = Steps / 100, HistogramSteps = [] };
        Result = Figure1Experiment.Run(Options, data.Train, data.Test.Take(2_000));
    }

    public Figure1Options Options { get; }

    public Figure1Result Result { get; }
}

public class Figure1FashionMnistTests(Figure1Fixture fixture, ITestOutputHelper output) : IClassFixture<Figure1Fixture>
{
    private readonly Figure1Result _r = fixture.Result;

    [Fact]
    public void Both_runs_finish_and_learn()
    {
        foreach (var h in new[] { _r.WithoutBatchNorm, _r.WithBatchNorm })
        {
            Assert.Null(h.DivergedAtStep);
            Assert.Equal(Figure1Fixture.Steps, h.Steps);
            Assert.InRange(h.TestAccuracy[0], 0.0, 0.2); // untrained: about chance (10 classes)
        }
        Assert.True(_r.FinalAccuracyWithout > 0.4, $"plain final accuracy {_r.FinalAccuracyWithout:F3}");
        Assert.True(_r.FinalAccuracyWith > 0.75, $"BN final accuracy {_r.FinalAccuracyWith:F3}");
    }

    [Fact]
    public void Batch_norm_is_ahead_at_every_evaluation_after_the_first_fifth_of_training()
    {
        // The paper's "first few thousand of 50,000 steps", scaled to this budget: from 20 % of the steps on.
        var steps = _r.EvaluationSteps;
        for (var k = 0; k < steps.Length; k++)
        {
            output.WriteLine($"step {steps[k],5}: without {_r.WithoutBatchNorm.TestAccuracy[k]:F4}  with {_r.WithBatchNorm.TestAccuracy[k]:F4}");
            if (steps[k] >= Figure1Fixture.Steps / 5)
                Assert.True(_r.WithBatchNorm.TestAccuracy[k] > _r.WithoutBatchNorm.TestAccuracy[k],
                    $"step {steps[k]}: with BN {_r.WithBatchNorm.TestAccuracy[k]:F4} <= without {_r.WithoutBatchNorm.TestAccuracy[k]:F4}");
        }
        var from = _r.BatchNormAheadFrom();
        Assert.NotNull(from);
        Assert.True(from <= Figure1Fixture.Steps / 5);
    }

    [Fact]
    public void The_plain_networks_percentile_bands_move_more_in_every_hidden_layer()
    {
        // "Move": total variation of the 15th/50th/85th percentile curves of each hidden layer's pooled
        // sigmoid input, after the first tenth of training (BandMovement), and the median's drift.
        var movements = _r.Movements(fromStep: Figure1Fixture.Steps / 10);
        Assert.Equal(3, movements.Count);
        foreach (var (without, with) in movements)
        {
            output.WriteLine($"layer {without.Layer + 1}: TV without {without.BandTotalVariation:F3} with {with.BandTotalVariation:F3}; " +
                             $"median drift without {without.MedianDrift:F3} with {with.MedianDrift:F3}");
            Assert.True(without.Probes >= 80, $"{without.Probes} probes");
            Assert.True(without.BandTotalVariation > with.BandTotalVariation,
                $"layer {without.Layer + 1}: band TV without BN {without.BandTotalVariation:F3} <= with BN {with.BandTotalVariation:F3}");
            Assert.True(without.MedianDrift > with.MedianDrift,
                $"layer {without.Layer + 1}: median drift without BN {without.MedianDrift:F3} <= with BN {with.MedianDrift:F3}");
        }
    }

    [Fact]
    public void With_batch_norm_each_layers_median_starts_at_zero_and_the_band_near_plus_minus_one()
    {
        // γ = 1, β = 0 at the start: each unit's input is standardised over the batch, so the pooled
        // 15th/85th percentiles sit near ±1.04 (a standard normal's), whatever the layer.
        foreach (var layer in _r.WithBatchNorm.Layers)
        {
            Assert.InRange(layer.Pooled.Percentile(50)[0], -0.2, 0.2);
            Assert.InRange(layer.Pooled.Percentile(15)[0], -1.4, -0.7);
            Assert.InRange(layer.Pooled.Percentile(85)[0], 0.7, 1.4);
        }
    }
}
