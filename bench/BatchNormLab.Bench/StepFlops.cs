using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Models;

namespace BatchNormLab.Bench;

/// <summary>
/// Floating-point operations of one training step, counting the matrix products only (2 per multiply-add;
/// the element-wise work is a few percent and not FMA-bound). A dense layer in x out at batch N: the forward
/// product and the weight gradient cost 2·N·in·out each, and the input gradient as much again unless the
/// layer skips it (the first layer). A convolution is the same product per output location (im2col):
/// in = C_in·k·k, out = C_out, N·H'·W' rows.
/// </summary>
internal static class StepFlops
{
    public static double Of(Sequential<float> net, int batch)
    {
        var flops = 0.0;
        foreach (var layer in net.Layers)
        {
            var (rows, inner, outer, inputGradient) = layer switch
            {
                Dense<float> d => ((double)batch, d.InputSize, d.OutputSize, d.ComputeInputGradient),
                Conv2d<float> c => ((double)batch * c.Geometry.Locations, c.Geometry.PatchSize, c.OutputShape.Channels, c.ComputeInputGradient),
                _ => (0.0, 0, 0, false),
            };
            flops += 2.0 * rows * inner * outer * (inputGradient ? 3 : 2);
        }
        return flops;
    }
}
