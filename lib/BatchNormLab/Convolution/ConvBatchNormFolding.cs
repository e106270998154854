using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;

namespace BatchNormLab.Convolution;

/// <summary>Folding a trained spatial batch norm into the convolution before it, for inference.</summary>
public static class ConvBatchNormFolding
{
    /// <summary>
    /// At inference BN is y = s_o·u + t_o per channel o, with s = γ/√(Var[x] + ε) and t = β − s·E[x]
    /// (<see cref="BatchNormMath.InferenceAffine{T}"/>). For u = conv(x, W) + b that is one convolution with
    /// W'[o, ·] = s_o W[o, ·] (every tap of filter o) and b'_o = s_o b_o + t_o. Returns it; the inputs are not changed.
    /// </summary>
    public static Conv2d<T> Fold<T>(Conv2d<T> conv, BatchNorm2d<T> batchNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(batchNorm);
        if (conv.OutputShape != batchNorm.Shape)
            throw new ArgumentException(
                $"Shape mismatch: {conv.Name} outputs {conv.OutputShape} but {batchNorm.Name} normalises {batchNorm.Shape}.");
        var bn = batchNorm.PerChannel;
        var c = bn.Features;
        var scale = new T[c];
        var shift = new T[c];
        BatchNormMath.InferenceAffine<T>(bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.RunningMean, bn.RunningVariance, bn.Eps, scale, shift);
        var w = conv.Weights.Value.Clone();
        for (var o = 0; o < c; o++)
        {
            var filter = w.Row(o);
            for (var q = 0; q < filter.Length; q++) filter[q] *= scale[o];
        }
        var folded = new Conv2d<T>(conv.Name + "+" + batchNorm.Name, conv.InputShape, conv.OutputShape.Channels, conv.Geometry.Window, w, bias: true)
        {
            Mode = Mode.Inference,
        };
        var b = folded.Bias!.Value.Data;
        for (var o = 0; o < c; o++) b[o] = scale[o] * (conv.Bias is null ? T.Zero : conv.Bias.Value.Data[o]) + shift[o];
        return folded;
    }
}
