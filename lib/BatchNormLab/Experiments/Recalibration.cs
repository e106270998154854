using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>
/// Recomputing ("calibrating") the running estimates after training: instead of the moving averages
/// collected while the weights were still changing, each normalisation layer gets the exact mean and
/// variance of its input over a data set, with every earlier layer already in inference mode, i.e. the
/// statistics the deployed network will actually see (the paper's Algorithm 2 with the final weights).
/// </summary>
public static class Recalibration
{
    /// <summary>
    /// Sets, layer by layer, batch norm's E[x] and Var[x] (unbiased, N/(N − 1)) and batch renorm's μ and
    /// σ = √(σ² + ε) to the statistics of their input over the first <paramref name="count"/> rows of
    /// <paramref name="data"/> (0 = all). Layer norm keeps no estimates and is left alone. Returns how many
    /// layers were recalibrated. The network is left in inference mode.
    /// </summary>
    public static int Recompute(Mlp<float> mlp, Dataset data, int count = 0, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(data);
        var n = PerilsTraining.Count(data, count);
        if (n < 2) throw new ArgumentException($"Recalibration needs at least 2 examples; '{data.Name}' gives {n}.", nameof(data));
        mlp.Mode = Mode.Inference;
        var layers = mlp.Layers;
        var recalibrated = 0;
        for (var l = 0; l < layers.Count; l++)
        {
            if (layers[l] is not (BatchNorm<float> or BatchRenorm<float>)) continue;
            var d = layers[l] switch { BatchNorm<float> bn => bn.Features, BatchRenorm<float> brn => brn.Features, _ => 0 };
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
                            if (pass == 0) sum[j] += row[j];
                            else sumSquares[j] += (row[j] - sum[j] / n) * (row[j] - sum[j] / n);
                        }
                    }
                }
            }
            for (var j = 0; j < d; j++)
            {
                var mean = sum[j] / n;
                var biased = sumSquares[j] / n;
                switch (layers[l])
                {
                    case BatchNorm<float> bn:
                        bn.RunningMean[j] = (float)mean;
                        bn.RunningVariance[j] = (float)(biased * n / (n - 1));
                        break;
                    case BatchRenorm<float> brn:
                        brn.RunningMean[j] = (float)mean;
                        brn.RunningStd[j] = (float)Math.Sqrt(biased + double.CreateChecked(brn.Eps));
                        break;
                }
            }
            recalibrated++;
        }
        return recalibrated;
    }

    /// <summary>The input of layer <paramref name="target"/> for consecutive batches of the data, earlier layers in inference mode.</summary>
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
