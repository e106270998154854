using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Training;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

/// <summary>Notebook 05's headlines on a short run of the paper's network on Fashion-MNIST (2,000 steps per network).</summary>
public class WhyBatchNormTests(ITestOutputHelper output)
{
    private const int Steps = 2_000;
    private static readonly Lazy<WhyResult> Result = new(() =>
    {
        var data = FashionMnist.Load();
        return WhyBatchNorm.Run(new WhyOptions
        {
            Figure1 = new Figure1Options { Steps = Steps, EvaluateEvery = 200, ProbeEvery = 20, HistogramSteps = [] },
            MeasureEvery = 100,
        }, data.Train, data.Test);
    });

    private static double Movement(WhyRun r) =>
        Enumerable.Range(0, 3).SelectMany(l => new[] { 0, 1, 2 }.Select(u =>
        {
            var m = BandMovement.Of(r.History.Layers[l].Unit(u), r.History.ProbeSteps, l, Steps / 10);
            return m.BandTotalVariation / m.Probes;
        })).Average();

    [Fact]
    public void Noisy_bn_moves_the_layer_inputs_most_yet_learns_as_fast_as_bn()
    {
        var r = Result.Value;
        var (plain, bn, noisy) = (Movement(r.Plain), Movement(r.BatchNorm), Movement(r.NoisyBatchNorm));
        output.WriteLine($"band movement per probe: plain {plain:F2}, BN {bn:F2}, noisy {noisy:F2}");
        Assert.True(noisy > plain && plain > bn, $"plain {plain:F2}, BN {bn:F2}, noisy {noisy:F2}");
        double Late(WhyRun w) => w.History.TestAccuracy.TakeLast(5).Average();
        output.WriteLine($"late accuracy: plain {Late(r.Plain):P1}, BN {Late(r.BatchNorm):P1}, noisy {Late(r.NoisyBatchNorm):P1}");
        Assert.InRange(Late(r.NoisyBatchNorm) - Late(r.BatchNorm), -0.02, 0.02);
        // The first evaluation (step 200): both BN networks are far off chance, the plain one is not.
        Assert.True(r.NoisyBatchNorm.History.TestAccuracy[1] > r.Plain.History.TestAccuracy[1] + 0.3);
    }

    [Fact]
    public void On_this_network_bn_has_less_ics_and_noisy_bn_adds_it_back()
    {
        var r = Result.Value;
        double Relative(WhyRun w, int l) => w.Shift.Distance(l).Zip(w.Shift.GradientNorm(l), (d, g) => d / g).Average();
        for (var l = 0; l < r.Plain.Shift.LayerNames.Count; l++)
        {
            output.WriteLine($"{r.Plain.Shift.LayerNames[l]}: relative ICS plain {Relative(r.Plain, l):F2}, BN {Relative(r.BatchNorm, l):F2}, noisy {Relative(r.NoisyBatchNorm, l):F2}; " +
                $"cos plain {r.Plain.Shift.Cosine(l).Average():F2}, BN {r.BatchNorm.Shift.Cosine(l).Average():F2}");
            Assert.True(Relative(r.BatchNorm, l) < Relative(r.Plain, l));
            Assert.True(r.BatchNorm.Shift.Cosine(l).Average() > r.Plain.Shift.Cosine(l).Average());
            Assert.True(Relative(r.NoisyBatchNorm, l) > Relative(r.BatchNorm, l));
        }
        Assert.Equal(Steps / 100, r.Plain.Shift.Steps.Count);
    }

    [Fact]
    public void The_landscape_is_smoother_with_bn_and_with_noisy_bn()
    {
        var r = Result.Value;
        double Range(WhyRun w) => w.Landscape.LossMax.Zip(w.Landscape.LossMin, (a, b) => a - b).Average();
        double Beta(WhyRun w) => w.Landscape.BetaSmoothness.Average();
        output.WriteLine($"loss range: plain {Range(r.Plain):F3}, BN {Range(r.BatchNorm):F3}, noisy {Range(r.NoisyBatchNorm):F3}; β: {Beta(r.Plain):F3}, {Beta(r.BatchNorm):F3}, {Beta(r.NoisyBatchNorm):F3}");
        Assert.True(Range(r.BatchNorm) < 0.75 * Range(r.Plain));
        Assert.True(Beta(r.BatchNorm) < 0.85 * Beta(r.Plain));
        Assert.True(r.BatchNorm.Landscape.GradientChangeMax.Average() < r.Plain.Landscape.GradientChangeMax.Average());
        Assert.True(Range(r.NoisyBatchNorm) < Range(r.Plain) && Beta(r.NoisyBatchNorm) < Beta(r.Plain));
    }

    [Fact]
    public void Without_bn_the_first_layer_starts_with_a_vanishing_gradient_and_update()
    {
        var r = Result.Value;
        double Std0(WhyRun w, string name) => DistributionStatistics.MeanAndStandardDeviation(
            w.Diagnostics.GradientSnapshots[0][w.Diagnostics.Names.ToList().IndexOf(name)]).StandardDeviation;
        var shrinkPlain = Std0(r.Plain, "dense4.W") / Std0(r.Plain, "dense1.W");
        var shrinkBn = Std0(r.BatchNorm, "dense4.W") / Std0(r.BatchNorm, "dense1.W");
        output.WriteLine($"gradient shrink output → layer 1: plain {shrinkPlain:F0}, BN {shrinkBn:F0}");
        Assert.True(shrinkPlain > 100 && shrinkBn < 30);
        string[] weights = ["dense1.W", "dense2.W", "dense3.W", "dense4.W"];
        var plain0 = weights.Select(w => r.Plain.Diagnostics.UpdateToDataLog10(w)[0]).ToArray();
        var bn0 = weights.Select(w => r.BatchNorm.Diagnostics.UpdateToDataLog10(w)[0]).ToArray();
        output.WriteLine($"update:data at step 0: plain {string.Join(" ", plain0.Select(v => v.ToString("F2")))}; BN {string.Join(" ", bn0.Select(v => v.ToString("F2")))}");
        Assert.True(plain0.Max() - plain0.Min() > 2.5 && bn0.Max() - bn0.Min() < 1.5);
        Assert.True(plain0[0] < -3 && bn0[0] > -2);
    }
}
