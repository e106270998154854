using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments.Tests;

public class GanTests
{
    private static readonly GanOptions Small = new() { GeneratorSteps = 200, Hidden = 128, SnapshotSteps = [0, 100, 200] };

    [Fact]
    public void AlternatingBatchesLeakTheBatchKindAndMixedBatchesFixIt()
    {
        var alternating = Gan.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, Small, evaluationExamples: 640);
        var mixed = Gan.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, Small with { Batching = GanBatching.Mixed }, evaluationExamples: 640);
        var text = $"{Describe(alternating)}\n{Describe(mixed)}";

        // The batch kind can be read off the batch statistics at D's BN layer.
        Assert.True(alternating.BatchKindFromStatistics >= 0.9, text);
        // Alternating: D works on pure batches in training mode but not in inference mode (mixture statistics),
        // and its verdict on one fake depends on the company it keeps.
        Assert.True(alternating.InferenceAccuracy < alternating.PureBatchAccuracy - 0.2, text);
        Assert.True(Math.Abs(alternating.FakeScoreAmongReals - alternating.FakeScoreAmongFakes) > 0.1, text);
        // Mixed: training mode on mixed batches and inference mode agree...
        Assert.True(Math.Abs(mixed.InferenceAccuracy - mixed.MixedBatchAccuracy) < 0.1, text);
        // ...but the same discriminator judged on pure batches in training mode loses what it relies on.
        Assert.True(mixed.PureBatchAccuracy < mixed.MixedBatchAccuracy - 0.2, text);
        // G gets no gradient for what a whole all-fake batch shares: its brightness stays further from the data's.
        Assert.True(Math.Abs(alternating.MeanPixelFake - alternating.MeanPixelReal) > Math.Abs(mixed.MeanPixelFake - mixed.MeanPixelReal), text);
        // Curves and snapshots as asked.
        Assert.Equal(Small.GeneratorSteps, alternating.GeneratorLoss.Length);
        Assert.Equal(Small.GeneratorSteps, alternating.DiscriminatorLoss.Length);
        Assert.Equal([0, 100, 200], alternating.Snapshots.Select(s => s.Step));
        Assert.All(alternating.Snapshots, s => Assert.Equal(Small.SnapshotImages, s.Images.Length));
    }

    [Fact]
    public void TheGeneratorStepUpdatesOnlyTheGeneratorThroughTheDiscriminatorsInputGradient()
    {
        var options = new GanOptions { Hidden = 16, BatchSize = 8 };
        var rng = new Random(1);
        var g = Gan.Generator(options, rng);
        var d = Gan.Discriminator(options, rng);
        var gBefore = g.Parameters.Select(p => p.Value.Data.ToArray()).ToArray();
        var dBefore = d.Parameters.Select(p => p.Value.Data.ToArray()).ToArray();
        var step = new GeneratorStep(g, 8, learningRate: 0.1, momentum: 0, mixedWith: null, seed: 2);
        step.AfterUpdate(0, d);   // even steps are the discriminator's alone
        Assert.Empty(step.Losses);
        step.AfterUpdate(1, d);
        Assert.Single(step.Losses);
        Assert.True(step.Losses[0] > 0);
        Assert.Contains(g.Parameters.Select((p, k) => p.Value.Data.SequenceEqual(gBefore[k])), same => !same);
        Assert.All(d.Parameters.Select((p, k) => p.Value.Data.SequenceEqual(dBefore[k])), Assert.True);
    }

    [Fact]
    public void GeneratedBatchesAreSeededFakes()
    {
        var options = new GanOptions { Hidden = 16 };
        var g = Gan.Generator(options, new Random(1));
        var a = new GeneratedBatches(g, 4, seed: 3).Next().Images.Data.ToArray();
        var batch = new GeneratedBatches(g, 4, seed: 3).Next();
        Assert.Equal(a, batch.Images.Data);
        Assert.All(batch.Labels, y => Assert.Equal(Gan.Fake, y));
        Assert.All(batch.Images.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gan.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, options with { BatchSize = 5 }));
    }

    private static string Describe(GanRun r) =>
        $"{r.Batching}: pure {r.PureBatchAccuracy:P1} mixed {r.MixedBatchAccuracy:P1} inference {r.InferenceAccuracy:P1} fake among fakes {r.FakeScoreAmongFakes:F3} " +
        $"among reals {r.FakeScoreAmongReals:F3} kind {r.BatchKindFromStatistics:P0} pixels {r.MeanPixelReal:F3}/{r.MeanPixelFake:F3} D {GanRun.Tail(r.DiscriminatorLoss):F3} G {GanRun.Tail(r.GeneratorLoss):F3}";
}
