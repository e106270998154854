using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Measurements;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Measurements;

/// <summary>The ICS, landscape and diagnostics observers: what they measure equals the computation written out, and watching changes nothing.</summary>
public class MeasurementObserverTests
{
    private static readonly MlpOptions Net = new() { Sizes = [8, 12, 12, 4], InitScale = 0.5 };
    private static readonly Dataset Train = SyntheticData.GaussianBlobs(4, 8, 60, seed: 1, separation: 1.2);

    private static Sequential<float> Model(string kind) => kind switch
    {
        "plain" => Mlp<float>.Create(Net, 3),
        "bn" => Mlp<float>.Create(Net.WithBatchNorm(), 3),
        _ => BatchNormNoise<float>.AfterEachNormalization(Mlp<float>.Create(Net.WithBatchNorm(), 3), 1, 2, seed: 6),
    };

    private static MinibatchIterator Batches() => new(Train, 16, seed: 2);

    [Theory]
    [InlineData("plain")]
    [InlineData("bn")]
    [InlineData("noisy")]
    public void Observing_leaves_training_bit_identical(string kind)
    {
        var options = new TrainingOptions { Steps = 40, LearningRate = 0.5 };
        var watched = Model(kind);
        var observers = new ITrainingObserver[]
        {
            new InternalCovariateShift(watched, 3), new LossLandscape(watched, 4, [0.5, 1, 3]), new ParameterDiagnostics(watched, 2, [0, 7]),
        };
        var a = Trainer.Train(watched, Batches(), null, options, observers: observers);
        var alone = Model(kind);
        var b = Trainer.Train(alone, Batches(), null, options);
        Assert.Equal(b.StepLoss, a.StepLoss);
        for (var k = 0; k < alone.Parameters.Count; k++) Assert.Equal(alone.Parameters[k].Value.Data, watched.Parameters[k].Value.Data);
        foreach (var (x, y) in alone.LayersOf<BatchNorm<float>>().Zip(watched.LayersOf<BatchNorm<float>>()))
        {
            Assert.Equal(x.RunningMean, y.RunningMean);
            Assert.Equal(x.BatchesTracked, y.BatchesTracked);
        }
        Assert.Equal(14, ((InternalCovariateShift)observers[0]).Steps.Count);
        Assert.Equal(10, ((LossLandscape)observers[1]).Steps.Count);
        Assert.Equal([0, 7], ((ParameterDiagnostics)observers[2]).GradientSnapshots.Keys.Order());
    }

    // One step written out: the gradient on the batch at θ, then at the moved weights, with the model's own passes.
    private static (float Loss, float[][] Grads) LossAndGrads(Sequential<float> model, Batch batch)
    {
        var ce = new SoftmaxCrossEntropy<float>();
        var l = ce.Forward(model.Forward(batch.Images), batch.Labels);
        model.Backward(ce.Backward());
        return (l, model.Parameters.Select(p => (float[])p.Grad.Data.Clone()).ToArray());
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("noisy")]
    public void Internal_covariate_shift_is_the_gradient_change_after_the_earlier_layers_step(string kind)
    {
        const double eta = 0.7;
        var watched = Model(kind);
        var ics = new InternalCovariateShift(watched, 1);
        Trainer.Train(watched, Batches(), null, new TrainingOptions { Steps = 1, LearningRate = eta }, observers: [ics]);
        Assert.Equal(["dense2", "dense3"], ics.LayerNames);

        var manual = Model(kind);
        var batch = Batches().Next();
        var (_, g) = LossAndGrads(manual, batch);
        foreach (var n in manual.LayersOf<BatchNormNoise<float>>()) n.HoldNoise = true;
        var theta = manual.Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        var names = manual.Parameters.Select(p => p.Name).ToList();
        for (var m = 0; m < 2; m++)
        {
            var layer = ics.LayerNames[m];
            var wi = names.IndexOf(layer + ".W");
            for (var k = 0; k < names.Count; k++)
            {
                theta[k].CopyTo(manual.Parameters[k].Value.Data, 0);
                if (k < wi) for (var i = 0; i < theta[k].Length; i++) manual.Parameters[k].Value.Data[i] -= (float)eta * g[k][i];
            }
            var after = LossAndGrads(manual, batch).Grads[wi];
            Assert.Equal(GradientGeometry.Distance(g[wi], after), ics.Distance(m)[0], 1e-6);
            Assert.Equal(GradientGeometry.Cosine(g[wi], after), ics.Cosine(m)[0], 1e-6);
            Assert.True(ics.Distance(m)[0] > 1e-4, "the earlier layers' step changes the gradient");
        }
    }

    [Fact]
    public void The_landscape_is_the_loss_and_gradient_change_at_each_step_size()
    {
        const double eta = 0.5;
        double[] multiples = [0.5, 2];
        var watched = Model("bn");
        var landscape = new LossLandscape(watched, 1, multiples);
        Trainer.Train(watched, Batches(), null, new TrainingOptions { Steps = 1, LearningRate = eta }, observers: [landscape]);

        var manual = Model("bn");
        var batch = Batches().Next();
        var (l0, g) = LossAndGrads(manual, batch);
        var theta = manual.Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        var losses = new List<double>();
        var changes = new List<double>();
        var ratios = new List<double>();
        foreach (var multiple in multiples)
        {
            var step = (float)(multiple * eta);
            for (var k = 0; k < theta.Length; k++)
                for (var i = 0; i < theta[k].Length; i++) manual.Parameters[k].Value.Data[i] = theta[k][i] - step * g[k][i];
            var (l, gk) = LossAndGrads(manual, batch);
            losses.Add(l);
            changes.Add(GradientGeometry.Distance(gk, g));
            ratios.Add(changes[^1] / (step * GradientGeometry.Norm(g)));
        }
        Assert.Equal(l0, landscape.Loss[0], 1e-6);
        Assert.Equal(losses.Min(), landscape.LossMin[0], 1e-5);
        Assert.Equal(losses.Max(), landscape.LossMax[0], 1e-5);
        Assert.Equal(changes.Min(), landscape.GradientChangeMin[0], 1e-5);
        Assert.Equal(changes.Max(), landscape.GradientChangeMax[0], 1e-5);
        Assert.Equal(ratios.Max(), landscape.BetaSmoothness[0], 1e-4);
        Assert.True(landscape.LossMax[0] > landscape.LossMin[0]);
    }

    [Fact]
    public void Update_to_data_is_log10_of_the_update_spread_over_the_weight_spread()
    {
        float[] before = [1, 2, 3, 4];
        float[] after = [1.01f, 1.99f, 3.01f, 3.99f];
        var expected = Math.Log10(0.01 / Math.Sqrt(1.25));
        Assert.Equal(expected, ParameterDiagnostics.UpdateToData(before, after), 4);
        Assert.True(double.IsNaN(ParameterDiagnostics.UpdateToData([1f, 1, 1], [1.1f, 0.9f, 1])));

        var model = Model("bn");
        var diagnostics = new ParameterDiagnostics(model, 5);
        Trainer.Train(model, Batches(), null, new TrainingOptions { Steps = 20, LearningRate = 0.5 }, observers: [diagnostics]);
        Assert.Equal([0, 5, 10, 15], diagnostics.Steps);
        Assert.True(double.IsNaN(diagnostics.UpdateToDataLog10("bn1.gamma")[0]), "γ = 1 everywhere at the start: no spread to compare with");
        Assert.All(diagnostics.UpdateToDataLog10("dense1.W"), r => Assert.InRange(r, -6, 1));
        Assert.Equal(1.0, diagnostics.ValuePercentile("bn1.gamma", 50)[0]);
        Assert.Contains("dense1.W", Assert.Throws<ArgumentException>(() => diagnostics.GradientStd("nope")).Message);
    }

    [Fact]
    public void Momentum_gets_a_clear_error_from_the_ics_measurement()
    {
        var model = Model("plain");
        var e = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Train(model, Batches(), null, new TrainingOptions { Steps = 2, LearningRate = 0.5, Momentum = 0.9 }, observers: [new InternalCovariateShift(model, 1)]));
        Assert.Contains("Momentum = 0", e.Message);
    }
}
