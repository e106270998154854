using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Training;

/// <summary>
/// Recomputing ("calibrating") the running estimates after training, as PyTorch's <c>update_bn</c> and
/// the paper's Algorithm 2 do: instead of the moving averages collected while the weights were still
/// changing, each normalisation layer gets the mean and variance of its input over a data set with the
/// weights frozen, every earlier layer already in inference mode, i.e. the statistics the deployed
/// network will actually see.
/// </summary>
/// <remarks>
/// Algorithm 2 averages μ_B and σ²_B over minibatches of size m and takes Var[x] = m/(m − 1)·E_B[σ²_B].
/// This computes the statistics over the whole set at once (in double, two passes), the limit of that
/// average; batch norm then stores Var[x] = n/(n − 1)·σ² (<see cref="NormalizationLayer{T}.SetPopulationStatistics"/>).
/// </remarks>
public static class Recalibration
{
    /// <summary>
    /// Sets, layer by layer, the population statistics of every normalisation layer that keeps running
    /// estimates to those of its input over the first <paramref name="count"/> rows of
    /// <paramref name="data"/> (0 = all). Layer norm keeps none and is left alone. Spatial batch norm
    /// (<see cref="BatchNorm2d{T}"/>) gets per channel the statistics over all n·H·W values of that channel,
    /// as it computes them in training (Var[x] stored with n·H·W/(n·H·W − 1)). Returns how many layers were
    /// recalibrated. The model is left in inference mode.
    /// </summary>
    public static int Recompute(Sequential<float> model, Dataset data, int count = 0, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        var n = count <= 0 || count > data.Count ? data.Count : count;
        if (n < 2) throw new ArgumentException($"Recalibration needs at least 2 examples; '{data.Name}' gives {n}.", nameof(data));
        model.Mode = Mode.Inference;
        var layers = model.Layers;
        var recalibrated = 0;
        for (var l = 0; l < layers.Count; l++)
        {
            // Feature j of the normalisation is the P consecutive values j·P … j·P + P − 1 of each input row:
            // one value per example for a dense layer's BN (P = 1), the H·W locations of channel j for spatial BN.
            var (norm, p) = layers[l] switch
            {
                NormalizationLayer<float> { HasRunningStatistics: true } dense => (dense, 1),
                BatchNorm2d<float> spatial => ((NormalizationLayer<float>)spatial.PerChannel, spatial.Shape.Locations),
                _ => (null, 0),
            };
            if (norm is null) continue;
            var d = norm.Features;
            long values = (long)n * p;
            var sum = new double[d];
            var sumSquares = new double[d];
            // Two passes (mean, then squared deviations) in double, so large means do not swamp small spreads.
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var input in Inputs(layers, l, data, n, batchSize))
                {
                    for (var i = 0; i < input.Rows; i++)
                    {
                        var row = input.Row(i);
                        for (var j = 0; j < d; j++)
                        {
                            var feature = row.Slice(j * p, p);
                            if (pass == 0)
                            {
                                foreach (var v in feature) sum[j] += v;
                            }
                            else
                            {
                                var mean = sum[j] / values;
                                foreach (var v in feature) sumSquares[j] += (v - mean) * (v - mean);
                            }
                        }
                    }
                }
            }
            norm.SetPopulationStatistics(sum.Select(s => s / values).ToArray(), sumSquares.Select(s => s / values).ToArray(), values);
            recalibrated++;
        }
        return recalibrated;
    }

    private static IEnumerable<Matrix<float>> Inputs(IReadOnlyList<ILayer<float>> layers, int target, Dataset data, int n, int batchSize)
    {
        for (var start = 0; start < n; start += batchSize)
        {
            var h = data.Images.SliceRows(start, Math.Min(batchSize, n - start));
            for (var l = 0; l < target; l++) h = layers[l].Forward(h);
            yield return h;
        }
    }
}
