namespace BatchNormLab.Normalization;

/// <summary>
/// The clipping limits r_max and d_max of batch renormalisation as a function of the training step
/// (Ioffe 2017): r_max = 1 and d_max = 0 (plain batch norm) for the first <see cref="WarmupSteps"/>
/// steps, then each rises linearly to its final value. The paper's schedule is <see cref="Paper"/>:
/// warm-up 5k steps, r_max reaching 3 at 40k and d_max reaching 5 at 25k. <see cref="Scaled"/>
/// shrinks every step count for shorter runs; <see cref="Fixed"/> holds both limits constant.
/// </summary>
/// <param name="WarmupSteps">Steps during which r_max = 1 and d_max = 0.</param>
/// <param name="RMaxFinal">Final r_max (≥ 1); r is clipped to [1/r_max, r_max].</param>
/// <param name="RMaxReachedAt">Step at which r_max reaches <paramref name="RMaxFinal"/>.</param>
/// <param name="DMaxFinal">Final d_max (≥ 0); d is clipped to [−d_max, d_max].</param>
/// <param name="DMaxReachedAt">Step at which d_max reaches <paramref name="DMaxFinal"/>.</param>
public sealed record BatchRenormSchedule(double WarmupSteps, double RMaxFinal, double RMaxReachedAt, double DMaxFinal, double DMaxReachedAt)
{
    /// <summary>The paper's schedule: r_max 1 → 3 over steps 5k..40k, d_max 0 → 5 over steps 5k..25k.</summary>
    public static BatchRenormSchedule Paper { get; } = new(5_000, 3, 40_000, 5, 25_000);

    /// <summary>Constant limits from the first step (r_max = 1, d_max = 0 gives batch norm exactly).</summary>
    public static BatchRenormSchedule Fixed(double rMax, double dMax) => new BatchRenormSchedule(0, rMax, 0, dMax, 0).Validated();

    /// <summary>
    /// This schedule with every step count multiplied by <paramref name="factor"/>, e.g. <c>Paper.Scaled(0.1)</c>
    /// for a 5k-step run: warm-up 500 steps, r_max 3 at 4k, d_max 5 at 2.5k.
    /// </summary>
    public BatchRenormSchedule Scaled(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be positive and finite.");
        return (this with { WarmupSteps = WarmupSteps * factor, RMaxReachedAt = RMaxReachedAt * factor, DMaxReachedAt = DMaxReachedAt * factor }).Validated();
    }

    /// <summary>r_max at training step <paramref name="step"/> (0-based count of training batches seen before this one).</summary>
    public double RMax(long step) => Ramp(step, 1, RMaxFinal, RMaxReachedAt);

    /// <summary>d_max at training step <paramref name="step"/>.</summary>
    public double DMax(long step) => Ramp(step, 0, DMaxFinal, DMaxReachedAt);

    /// <summary>Throws with a clear message unless the limits and step counts make sense; returns this.</summary>
    public BatchRenormSchedule Validated()
    {
        if (!(RMaxFinal >= 1) || double.IsInfinity(RMaxFinal))
            throw new ArgumentOutOfRangeException(nameof(RMaxFinal), RMaxFinal, "r_max must be finite and at least 1 (r is clipped to [1/r_max, r_max]).");
        if (!(DMaxFinal >= 0) || double.IsInfinity(DMaxFinal))
            throw new ArgumentOutOfRangeException(nameof(DMaxFinal), DMaxFinal, "d_max must be finite and non-negative.");
        if (!(WarmupSteps >= 0))
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The warm-up must be non-negative.");
        if (!(RMaxReachedAt >= WarmupSteps) || !(DMaxReachedAt >= WarmupSteps))
            throw new ArgumentOutOfRangeException(nameof(RMaxReachedAt),
                $"r_max and d_max must reach their final values after the warm-up ({WarmupSteps}); got {RMaxReachedAt} and {DMaxReachedAt}.");
        return this;
    }

    private double Ramp(long step, double start, double end, double reachedAt)
    {
        if (step < WarmupSteps) return start;
        if (step >= reachedAt) return end;
        return start + (end - start) * (step - WarmupSteps) / (reachedAt - WarmupSteps);
    }
}
