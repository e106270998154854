namespace BatchNormLab.Experiments;

/// <summary>A Figure 1 pair per value of one parameter (see <see cref="Figure1Sweep"/>).</summary>
/// <param name="Parameter">What was swept, e.g. "learning rate".</param>
/// <param name="Points">One pair per value, in the order given.</param>
public sealed record SweepResult(string Parameter, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The swept values.</summary>
    public double[] Values => Points.Select(p => p.Value).ToArray();

    /// <summary>Final test accuracy without BN per value (NaN = diverged).</summary>
    public double[] FinalAccuraciesWithout => Points.Select(p => p.FinalAccuracyWithout).ToArray();

    /// <summary>Final test accuracy with BN per value (NaN = diverged).</summary>
    public double[] FinalAccuraciesWith => Points.Select(p => p.FinalAccuracyWith).ToArray();

    /// <summary>The value whose network without BN ended with the highest test accuracy (diverged runs excluded).</summary>
    public double BestValueWithout => Best(p => p.FinalAccuracyWithout);

    /// <summary>The value whose network with BN ended with the highest test accuracy (diverged runs excluded).</summary>
    public double BestValueWith => Best(p => p.FinalAccuracyWith);

    /// <summary>Spread of the test-accuracy curves over the points (e.g. over seeds), without BN.</summary>
    public SeriesSpread AccuracySpreadWithout() => SeriesSpread.Of(Points.Select(p => p.Result.WithoutBatchNorm.TestAccuracy).ToArray());

    /// <summary>Spread of the test-accuracy curves over the points, with BN.</summary>
    public SeriesSpread AccuracySpreadWith() => SeriesSpread.Of(Points.Select(p => p.Result.WithBatchNorm.TestAccuracy).ToArray());

    private double Best(Func<SweepPoint, double> accuracy)
    {
        var finite = Points.Where(p => !double.IsNaN(accuracy(p))).ToArray();
        if (finite.Length == 0) throw new InvalidOperationException($"Every run of the {Parameter} sweep diverged.");
        return finite.MaxBy(accuracy)!.Value;
    }
}
