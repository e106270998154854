using BatchNormLab.Experiments;
using BatchNormLab.Models;

namespace BatchNormLab.Experiments.Tests;

public class DiscriminatorBatchesTests
{
    [Fact]
    public void MixedBatchesTrainABatchNormDiscriminatorThatAlternatingBatchesDoNot()
    {
        var result = DiscriminatorBatches.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, PerilsTestSetup.Options with { Steps = 400 });
        var alternating = result[DiscriminatorBatching.Alternating, NormalizationKind.BatchNorm];
        var mixed = result[DiscriminatorBatching.Mixed, NormalizationKind.BatchNorm];
        var text = $"{alternating}\n{mixed}";
        Assert.True(mixed.InferenceAccuracy > alternating.InferenceAccuracy + 0.1, text);
        Assert.True(mixed.InferenceRealScore - mixed.InferenceFakeScore > alternating.InferenceRealScore - alternating.InferenceFakeScore + 0.1, text);
        Assert.True(alternating.TrainingLoss > mixed.TrainingLoss, text);
    }

    [Fact]
    public void FakesAreAveragesOfTwoRealImages()
    {
        var real = PerilsTestSetup.Test.Take(20);
        var fakes = FakeImages.Blends(real, 10, seed: 3);
        Assert.Equal(10, fakes.Count);
        Assert.All(fakes.Labels, y => Assert.Equal(0, y));
        // Each fake is 0.5 (a + b) for some pair of real rows.
        for (var i = 0; i < fakes.Count; i++)
        {
            var f = fakes.Images.Row(i).ToArray();
            var found = false;
            for (var a = 0; a < real.Count && !found; a++)
                for (var b = 0; b < real.Count && !found; b++)
                    found = f.Select((v, j) => Math.Abs(v - 0.5f * (real.Images[a, j] + real.Images[b, j]))).Max() < 1e-6;
            Assert.True(found, $"fake {i} is not a blend of two real images");
        }
        Assert.Equal(fakes.Images.Data, FakeImages.Blends(real, 10, seed: 3).Images.Data);
    }
}
