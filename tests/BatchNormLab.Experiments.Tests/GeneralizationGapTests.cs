using BatchNormLab.Data;
using BatchNormLab.Experiments;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

public class GeneralizationGapTests(ITestOutputHelper output)
{
    [Fact]
    public void Bn_improves_test_accuracy_without_shrinking_the_gap()
    {
        var data = FashionMnist.Load();
        int[] sizes = [16, 250];
        var result = GeneralizationGap.Run(new Figure1Options(), sizes, examplesSeen: 120_000, data.Train, data.Test, trainExamples: 5_000);
        foreach (var run in result.Runs) output.WriteLine($"{run} gap {run.Gap:P1}");
        Assert.Equal(4, result.Runs.Count);
        Assert.Equal(120_000 / 16, result[true, 16].Steps);
        foreach (var m in sizes)
        {
            Assert.True(result[true, m].TestAccuracy > result[false, m].TestAccuracy, $"batch {m}");
            Assert.True(result[true, m].Gap > result[false, m].Gap - 0.005, $"batch {m}");
        }
    }

    [Fact]
    public void Bad_batch_sizes_get_a_clear_error()
    {
        var tiny = SyntheticData.GaussianBlobs(2, 784, 10, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GeneralizationGap.Run(new Figure1Options(), [1, 8], 100, tiny, tiny));
        Assert.Contains("at least 2", e.Message);
    }
}
