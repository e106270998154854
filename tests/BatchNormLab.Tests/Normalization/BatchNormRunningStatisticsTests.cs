using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Normalization;

/// <summary>
/// Running estimates follow the documented convention (PyTorch's): momentum α weights the new batch,
/// the stored variance is the unbiased one; momentum null = plain average over batches (the paper's Algorithm 2).
/// </summary>
public class BatchNormRunningStatisticsTests(ITestOutputHelper output)
{
    // Batch statistics computed here, independently of the library: mean and unbiased variance per feature.
    private static (double[] mean, double[] unbiased) Stats(Matrix<double> x)
    {
        var mean = new double[x.Cols];
        var unbiased = new double[x.Cols];
        for (var j = 0; j < x.Cols; j++)
        {
            var s = 0.0;
            for (var i = 0; i < x.Rows; i++) s += x[i, j];
            mean[j] = s / x.Rows;
            var q = 0.0;
            for (var i = 0; i < x.Rows; i++) q += (x[i, j] - mean[j]) * (x[i, j] - mean[j]);
            unbiased[j] = q / (x.Rows - 1);
        }
        return (mean, unbiased);
    }

    private static List<Matrix<double>> Batches(int seed, params int[] sizes)
    {
        var rng = new Random(seed);
        // Each batch from a different distribution, so that the weighting of old and new is visible.
        return sizes.Select((m, k) => TestData.Features(m, [k * 2.0, -3.0 + k, 100], [1 + k, 0.5, 0.1 * (k + 1)], rng)).ToList();
    }

    [Fact]
    public void Momentum01MixesNinetyPercentOldAndTenPercentNew()
    {
        var bn = new BatchNorm<double>("bn", 3) { Mode = Mode.Training };
        var expectedMean = new double[] { 0, 0, 0 };
        var expectedVar = new double[] { 1, 1, 1 };
        foreach (var x in Batches(5, 4, 10, 2, 7))
        {
            bn.Forward(x);
            var (mean, unbiased) = Stats(x);
            for (var j = 0; j < 3; j++)
            {
                expectedMean[j] = 0.9 * expectedMean[j] + 0.1 * mean[j];
                expectedVar[j] = 0.9 * expectedVar[j] + 0.1 * unbiased[j];
            }
        }
        var e = Math.Max(TestData.MaxAbsDiff(bn.RunningMean, expectedMean) / TestData.MaxAbs(expectedMean),
            TestData.MaxAbsDiff(bn.RunningVariance, expectedVar) / TestData.MaxAbs(expectedVar));
        output.WriteLine($"momentum 0.1: max relative difference {e:E2}; running var [{string.Join(", ", bn.RunningVariance.Select(v => v.ToString("G6")))}]");
        Assert.True(e <= 1e-14, $"running statistics differ from 0.9 old + 0.1 new (unbiased variance): {e:E2}");
        Assert.Equal(4, bn.BatchesTracked);
    }

    [Fact]
    public void BiasedVarianceWouldBeDetected()
    {
        // Guard against a test that cannot fail: with m = 2 the biased and unbiased variances differ by 2x.
        var x = Matrix<double>.FromRows([1.0, 5.0], [3.0, -1.0]);
        var bn = new BatchNorm<double>("bn", 2, momentum: 1.0) { Mode = Mode.Training };
        bn.Forward(x);
        Assert.Equal(2.0, bn.RunningVariance[0], 14); // (1−2)² + (3−2)² over m − 1 = 1
        Assert.Equal(18.0, bn.RunningVariance[1], 14); // (5−2)² + (−1−2)² over 1
        Assert.Equal(1.0, bn.BatchVariance[0], 14);    // normalisation uses the biased one
    }

    [Fact]
    public void NullMomentumGivesThePlainAverageOverBatches()
    {
        var bn = new BatchNorm<double>("bn", 3, momentum: null) { Mode = Mode.Training };
        var batches = Batches(9, 5, 3, 12, 2, 8);
        foreach (var x in batches) bn.Forward(x);
        var stats = batches.Select(Stats).ToList();
        var meanOfMeans = Enumerable.Range(0, 3).Select(j => stats.Average(s => s.mean[j])).ToArray();
        var meanOfVars = Enumerable.Range(0, 3).Select(j => stats.Average(s => s.unbiased[j])).ToArray();
        var e = Math.Max(TestData.MaxAbsDiff(bn.RunningMean, meanOfMeans) / TestData.MaxAbs(meanOfMeans),
            TestData.MaxAbsDiff(bn.RunningVariance, meanOfVars) / TestData.MaxAbs(meanOfVars));
        output.WriteLine($"momentum null: max relative difference from the plain averages {e:E2}");
        Assert.True(e <= 1e-14, $"cumulative average differs from the mean of batch means / unbiased variances: {e:E2}");
    }

    [Fact]
    public void InferenceModeLeavesRunningStatisticsAlone()
    {
        var bn = new BatchNorm<double>("bn", 3) { Mode = Mode.Training };
        var batches = Batches(2, 6, 6);
        bn.Forward(batches[0]);
        var mean = (double[])bn.RunningMean.Clone();
        var variance = (double[])bn.RunningVariance.Clone();
        bn.Mode = Mode.Inference;
        bn.Forward(batches[1]);
        Assert.Equal(mean, bn.RunningMean);
        Assert.Equal(variance, bn.RunningVariance);
        Assert.Equal(1, bn.BatchesTracked);
    }

    [Fact]
    public void AfterTrainingTheOutputHasMeanBetaAndStdGamma()
    {
        // Train a small BN network so that γ and β move away from 1 and 0, then look at BN's output in training
        // mode: per feature its mean is β and its (biased) standard deviation |γ| √(σ²/(σ² + ε)) ≈ |γ|.
        var options = new MlpOptions { Sizes = [6, 5, 4], Activation = Activation.Tanh }.WithBatchNorm();
        var net = Mlp<double>.Create(options, 17);
        var rng = new Random(4);
        var x = TestData.Gaussian<double>(32, 6, rng, std: 3);
        var labels = TestData.Labels(32, 4, rng);
        var loss = new SoftmaxCrossEntropy<double>();
        var sgd = new Sgd<double>(0.5, momentum: 0.9);
        net.Mode = Mode.Training;
        for (var step = 0; step < 30; step++)
        {
            loss.Forward(net.Forward(x), labels);
            net.Backward(loss.Backward());
            sgd.Step(net.Parameters);
        }
        net.Forward(x);
        var bn = net.LayersOf<BatchNorm<double>>().Single();
        var y = net.LayersOf<ActivationLayer<double>>()[0].LastInput!; // BN's output is the nonlinearity's input
        var gamma = bn.Gamma.Value.Data;
        var beta = bn.Beta.Value.Data;
        Assert.True(gamma.Any(g => Math.Abs(g - 1) > 0.05) && beta.Any(b => Math.Abs(b) > 0.05), "training did not move gamma/beta; the test would be vacuous");
        double worstMean = 0, worstStd = 0;
        for (var j = 0; j < bn.Features; j++)
        {
            double mean = 0, sq = 0;
            for (var i = 0; i < y.Rows; i++) mean += y[i, j];
            mean /= y.Rows;
            for (var i = 0; i < y.Rows; i++) sq += (y[i, j] - mean) * (y[i, j] - mean);
            var std = Math.Sqrt(sq / y.Rows);
            var variance = bn.BatchVariance[j];
            worstMean = Math.Max(worstMean, Math.Abs(mean - beta[j]));
            worstStd = Math.Max(worstStd, Math.Abs(std - Math.Abs(gamma[j]) * Math.Sqrt(variance / (variance + 1e-5))));
            Assert.True(Math.Abs(std - Math.Abs(gamma[j])) <= 1e-3 * Math.Abs(gamma[j]), $"feature {j}: std {std} vs |gamma| {gamma[j]}");
        }
        output.WriteLine($"after training: max |mean - beta| {worstMean:E2}, max |std - |gamma| sqrt(var/(var+eps))| {worstStd:E2}; gamma [{string.Join(", ", gamma.Select(g => g.ToString("F3")))}]");
        Assert.True(worstMean <= 1e-12, $"mean differs from beta by {worstMean:E2}");
        Assert.True(worstStd <= 1e-12, $"std differs from |gamma| by {worstStd:E2}");
    }
}
