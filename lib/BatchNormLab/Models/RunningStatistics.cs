using BatchNormLab.Normalization;

namespace BatchNormLab.Models;

/// <summary>
/// A copy of every running estimate in a network (batch norm's E[x], Var[x] and batch count; batch renorm's μ, σ and step),
/// so that a training-mode evaluation, which updates them as a side effect, can be undone.
/// </summary>
public sealed class RunningStatistics
{
    private readonly List<Action> _restore = [];

    private RunningStatistics()
    {
    }

    /// <summary>Copies the running estimates of every normalisation layer of <paramref name="mlp"/>.</summary>
    public static RunningStatistics Capture(Mlp<float> mlp)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        var s = new RunningStatistics();
        foreach (var block in mlp.Hidden)
        {
            switch (block.Normalization)
            {
                case BatchNorm<float> bn:
                    var mean = (float[])bn.RunningMean.Clone();
                    var variance = (float[])bn.RunningVariance.Clone();
                    var tracked = bn.BatchesTracked;
                    s._restore.Add(() =>
                    {
                        mean.CopyTo(bn.RunningMean, 0);
                        variance.CopyTo(bn.RunningVariance, 0);
                        bn.BatchesTracked = tracked;
                    });
                    break;
                case BatchRenorm<float> brn:
                    var mu = (float[])brn.RunningMean.Clone();
                    var sigma = (float[])brn.RunningStd.Clone();
                    var step = brn.Step;
                    s._restore.Add(() =>
                    {
                        mu.CopyTo(brn.RunningMean, 0);
                        sigma.CopyTo(brn.RunningStd, 0);
                        brn.Step = step;
                    });
                    break;
            }
        }
        return s;
    }

    /// <summary>Puts the captured values back.</summary>
    public void Restore()
    {
        foreach (var restore in _restore) restore();
    }
}
