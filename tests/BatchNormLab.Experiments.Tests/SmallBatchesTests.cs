using BatchNormLab.Experiments;
using BatchNormLab.Models;

namespace BatchNormLab.Experiments.Tests;

public class SmallBatchesTests
{
    [Fact]
    public void BatchNormBreaksDownAtBatchTwoWhileLayerNormAndBatchRenormDoNot()
    {
        var result = SmallBatches.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, PerilsTestSetup.Options,
            [NormalizationKind.BatchNorm, NormalizationKind.BatchRenorm, NormalizationKind.LayerNorm], [2, 16], examplesSeen: 10_000);
        var table = string.Join("\n", result.Runs);
        Assert.All(result.Runs, r => Assert.Equal(10_000 / r.BatchSize, r.Steps));
        var bn2 = result[NormalizationKind.BatchNorm, 2];
        Assert.True(bn2.InferenceAccuracy < result[NormalizationKind.BatchNorm, 16].InferenceAccuracy - 0.2, table);
        Assert.True(result[NormalizationKind.LayerNorm, 2].InferenceAccuracy > bn2.InferenceAccuracy + 0.1, table);
        // Batch renorm pulls training towards the running estimates: better than batch norm at batch 2 in both modes.
        Assert.True(result[NormalizationKind.BatchRenorm, 2].InferenceAccuracy > bn2.InferenceAccuracy, table);
        Assert.True(result[NormalizationKind.BatchRenorm, 2].TrainingModeAccuracy > bn2.TrainingModeAccuracy + 0.1, table);
        // Layer norm has no batch statistics: its two modes are the same computation.
        Assert.Equal(result[NormalizationKind.LayerNorm, 2].InferenceAccuracy, result[NormalizationKind.LayerNorm, 2].TrainingModeAccuracy);
    }
}
