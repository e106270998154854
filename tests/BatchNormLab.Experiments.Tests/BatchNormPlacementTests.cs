using BatchNormLab.Activations;
using BatchNormLab.Models;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

public class BatchNormPlacementTests(ITestOutputHelper output)
{
    [Fact]
    public void BeforeTheSigmoidBatchNormKeepsItOutOfSaturationAfterItBatchNormCentresTheNextLayersInput()
    {
        var options = PerilsTestSetup.Options with { Init = WeightInitScheme.Xavier, InitScale = 1 };
        var result = BatchNormPlacement.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, options,
            [Activation.Sigmoid, Activation.ReLU], [1, 2], new Dictionary<Activation, double> { [Activation.ReLU] = 0.1 });
        foreach (var r in result.Runs)
            output.WriteLine($"{r.Activation} {r.Variant} seed {r.Seed}: acc {r.TestAccuracy:F4} loss {r.TrainingLoss:F3} sat {r.SaturatedFraction:F3} " +
                $"pct {string.Join("/", r.LastLayerInputPercentiles.Select(p => p.ToString("F2")))} skew {r.BatchNormInputSkewness:F2} out {r.OutputLayerInputMean:F2}±{r.OutputLayerInputStd:F2}");
        var table = string.Join("\n", result.Runs);
        Assert.Equal(12, result.Runs.Count);
        foreach (var seed in new[] { 1, 2 })
        {
            PlacementRun Get(Activation g, NormalizationPlacement? p) => result.Of(g, p).Single(r => r.Seed == seed);
            var none = Get(Activation.Sigmoid, null);
            var before = Get(Activation.Sigmoid, NormalizationPlacement.BeforeActivation);
            var after = Get(Activation.Sigmoid, NormalizationPlacement.AfterActivation);
            // BN on Wu holds the sigmoid's inputs near N(β, γ²): almost none saturate; after g, Wu + b is free to.
            Assert.True(before.SaturatedFraction < 0.01 && after.SaturatedFraction > 5 * before.SaturatedFraction + 0.01, table);
            Assert.True(after.LastLayerInputPercentiles[2] - after.LastLayerInputPercentiles[0] > before.LastLayerInputPercentiles[2] - before.LastLayerInputPercentiles[0], table);
            // BN after g standardises what the next layer sees; before g, the next layer sees sigmoid outputs around 0.5.
            Assert.True(Math.Abs(after.OutputLayerInputMean) < 0.05 && before.OutputLayerInputMean > 0.3, table);
            // Both placements beat no BN at this budget.
            Assert.True(before.TestAccuracy > none.TestAccuracy && after.TestAccuracy > none.TestAccuracy, table);
            // The paper's reason: g's output is a worse thing to normalise than Wu; for ReLU (one-sided, sparse) it is far more skewed.
            Assert.True(Get(Activation.ReLU, NormalizationPlacement.AfterActivation).BatchNormInputSkewness >
                2 * Get(Activation.ReLU, NormalizationPlacement.BeforeActivation).BatchNormInputSkewness, table);
            Assert.True(double.IsNaN(none.BatchNormInputSkewness));
        }
    }

    [Fact]
    public void MeanAbsoluteSkewnessMatchesAHandComputedExample()
    {
        // A column with a long right tail has positive skewness; a symmetric one about 0.
        var x = new Matrix<float>(4, 2);
        float[][] rows = [[0, -1], [0, 1], [0, -2], [4, 2]];
        for (var i = 0; i < 4; i++) rows[i].CopyTo(x.Row(i));
        // Column 0: mean 1, central moments m2 = 3, m3 = 6 → 6 / 3^1.5 ≈ 1.1547; column 1 is symmetric: 0.
        Assert.Equal((6 / Math.Pow(3, 1.5) + 0) / 2, BatchNormPlacement.MeanAbsoluteSkewness(x), 6);
    }
}
