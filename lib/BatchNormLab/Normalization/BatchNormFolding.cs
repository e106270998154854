using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>Folding a trained batch norm into the dense layer before it, for inference.</summary>
public static class BatchNormFolding
{
    /// <summary>
    /// At inference BN is y = s·u + t per feature with s = γ/√(Var[x] + ε), t = β − s E[x]; for
    /// u = x W + b this is one dense layer x W' + b' with W'_ij = W_ij s_j and b'_j = s_j b_j + t_j.
    /// Returns that layer (with a bias); the inputs are not changed.
    /// </summary>
    public static Dense<T> Fold<T>(Dense<T> dense, BatchNorm<T> batchNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(batchNorm);
        if (dense.OutputSize != batchNorm.Features)
            throw new ArgumentException($"Shape mismatch: {dense.Name} has {dense.OutputSize} outputs but {batchNorm.Name} normalises {batchNorm.Features} features.");
        var d = batchNorm.Features;
        var scale = new T[d];
        var shift = new T[d];
        BatchNormMath.InferenceAffine<T>(batchNorm.Gamma.Value.Data, batchNorm.Beta.Value.Data,
            batchNorm.RunningMean, batchNorm.RunningVariance, batchNorm.Eps, scale, shift);
        var w = dense.Weights.Value.Clone();
        for (var i = 0; i < w.Rows; i++)
        {
            var row = w.Row(i);
            for (var j = 0; j < d; j++) row[j] *= scale[j];
        }
        var folded = new Dense<T>(dense.Name + "+" + batchNorm.Name, w, bias: true) { Mode = Mode.Inference };
        var b = folded.Bias!.Value.Data;
        for (var j = 0; j < d; j++)
            b[j] = scale[j] * (dense.Bias is null ? T.Zero : dense.Bias.Value.Data[j]) + shift[j];
        return folded;
    }
}
