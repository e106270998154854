using BatchNormLab.Experiments;
using BatchNormLab.Models;

namespace BatchNormLab.Tests.Experiments;

public class SmallBatchesTests
{
    [Fact]
    public void BatchNormBreaksDownAtBatchTwoWhileLayerNormAndBatchRenormDoNot()
    {
        var result = SmallBatches.Run(PerilsTestSetup.Train, PerilsTestSetup.Test, PerilsTestSetup.Options,
            [NormalizationKind.BatchNorm, NormalizationKind.BatchRenorm, NormalizationKind.LayerNorm], [2, 16], examplesSeen: 8000);
        var table = string.Join("\n", result.Runs);
        Assert.All(result.Runs, r => Assert.Equal(8000 / r.BatchSize, r.Steps));
        Assert.True(result[NormalizationKind.BatchNorm, 2].InferenceAccuracy < result[NormalizationKind.BatchNorm, 16].InferenceAccuracy - 0.2, table);
        Assert.True(result[NormalizationKind.LayerNorm, 2].InferenceAccuracy > result[NormalizationKind.BatchNorm, 2].InferenceAccuracy + 0.2, table);
        Assert.True(result[NormalizationKind.BatchRenorm, 2].InferenceAccuracy > result[NormalizationKind.BatchNorm, 2].InferenceAccuracy + 0.1, table);
        // Layer norm has no batch statistics: its two modes are the same computation.
        Assert.Equal(result[NormalizationKind.LayerNorm, 2].InferenceAccuracy, result[NormalizationKind.LayerNorm, 2].TrainingModeAccuracy);
    }
}
