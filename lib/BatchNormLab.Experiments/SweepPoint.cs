namespace BatchNormLab.Experiments;

/// <summary>One setting of a sweep: the swept value and the Figure 1 pair trained with it.</summary>
/// <param name="Value">The swept parameter's value (learning rate, init scale, seed).</param>
/// <param name="Result">Both networks' histories.</param>
public sealed record SweepPoint(double Value, Figure1Result Result)
{
    /// <summary>Final test accuracy without BN; NaN if that run diverged (its last evaluation would flatter it).</summary>
    public double FinalAccuracyWithout => Result.WithoutBatchNorm.DivergedAtStep is null ? Result.FinalAccuracyWithout : double.NaN;

    /// <summary>Final test accuracy with BN; NaN if that run diverged.</summary>
    public double FinalAccuracyWith => Result.WithBatchNorm.DivergedAtStep is null ? Result.FinalAccuracyWith : double.NaN;
}
