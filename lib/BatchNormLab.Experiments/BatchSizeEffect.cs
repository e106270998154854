using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>How batch norm's statistics and a trained network behave at one batch size.</summary>
/// <param name="BatchSize">m, images (or examples) per batch.</param>
/// <param name="ValuesPerStatistic">Values behind each μ_B: m for a dense layer's feature, m·H·W for a channel (the paper's m' = m·p·q).</param>
/// <param name="RelativeSpreadOfMean">
/// Spread of μ_B from batch to batch, in units of the feature's own standard deviation: the standard deviation of
/// μ_B over many batches divided by σ (over a large reference batch), averaged over features. 1/√m for independent values.
/// </param>
/// <param name="TrainingModeAccuracy">Test accuracy when every test batch of m is normalised with its own statistics.</param>
public sealed record BatchSizePoint(int BatchSize, int ValuesPerStatistic, double RelativeSpreadOfMean, double TrainingModeAccuracy);

/// <summary>
/// The batch-size effect on a trained network's first batch norm: how noisy its μ_B is at batch size m, and
/// what that noise costs when the network runs in training mode on batches of m. For spatial batch norm each
/// statistic pools m·H·W values, so a small m hurts less than in a dense layer, though less than m·H·W
/// independent values would suggest (neighbouring locations of one image are correlated).
/// </summary>
public static class BatchSizeEffect
{
    /// <summary>Measures every batch size on <paramref name="model"/>; the model's weights and running estimates are left as they were.</summary>
    /// <param name="model">A trained network with at least one batch norm (dense or spatial).</param>
    /// <param name="train">Where the batches for the spread of μ_B are drawn from.</param>
    /// <param name="test">Evaluated in training mode with test batches of each size.</param>
    /// <param name="batchSizes">The sizes m (at least 2).</param>
    /// <param name="batches">Batches drawn per size for the spread of μ_B.</param>
    /// <param name="seed">Seed of the batch draws.</param>
    public static IReadOnlyList<BatchSizePoint> Measure(Sequential<float> model, Dataset train, Dataset test, IReadOnlyList<int> batchSizes,
        int batches = 50, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(batchSizes);
        if (batchSizes.Any(m => m < 2)) throw new ArgumentOutOfRangeException(nameof(batchSizes), string.Join(", ", batchSizes), "Batch sizes must be at least 2.");
        if (batches < 2) throw new ArgumentOutOfRangeException(nameof(batches), batches, "Draw at least 2 batches to measure a spread.");
        var bn = model.Normalizations.OfType<BatchNorm<float>>().FirstOrDefault()
            ?? throw new ArgumentException("The model has no batch norm layer to measure.", nameof(model));
        var locations = model.Layers.OfType<BatchNorm2d<float>>().FirstOrDefault(l => ReferenceEquals(l.PerChannel, bn))?.Shape.Locations ?? 1;

        var saved = RunningStatistics<float>.Capture(model);
        var mode = model.Mode;
        try
        {
            model.Mode = Mode.Training;
            // σ per feature from one large batch.
            model.Forward(train.Images.SliceRows(0, Math.Min(train.Count, 2_000)));
            var sigma = bn.BatchVariance.ToArray().Select(v => Math.Sqrt(v)).ToArray();
            var points = new List<BatchSizePoint>();
            foreach (var m in batchSizes)
            {
                var source = new MinibatchIterator(train, m, BatchOrder.Shuffled, seed);
                var means = new double[batches][];
                for (var k = 0; k < batches; k++)
                {
                    model.Forward(source.Next().Images);
                    means[k] = bn.BatchMean.ToArray().Select(v => (double)v).ToArray();
                }
                var spread = Enumerable.Range(0, sigma.Length).Where(j => sigma[j] > 0)
                    .Select(j => StandardDeviation(means.Select(r => r[j]).ToArray()) / sigma[j]).Average();
                var accuracy = Evaluator.Evaluate(model, test, Mode.Training, m).Accuracy;
                points.Add(new BatchSizePoint(m, m * locations, spread, accuracy));
            }
            return points;
        }
        finally
        {
            saved.Restore();
            model.Mode = mode;
        }
    }

    private static double StandardDeviation(double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }
}
