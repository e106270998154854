namespace BatchNormLab.Bench;

/// <summary>
/// Floating-point operations of one training step of a dense network, counting the matrix products only
/// (2 per multiply-add; the element-wise work is a few percent and not FMA-bound): per layer of in x out
/// at batch N, the forward product and the weight gradient cost 2·N·in·out each, and the input gradient
/// as much again except at the first layer, whose input gradient is not computed.
/// </summary>
internal static class StepFlops
{
    public static double Of(int[] sizes, int batch)
    {
        var flops = 0.0;
        for (var l = 0; l + 1 < sizes.Length; l++)
            flops += 2.0 * batch * sizes[l] * sizes[l + 1] * (l == 0 ? 2 : 3);
        return flops;
    }
}
