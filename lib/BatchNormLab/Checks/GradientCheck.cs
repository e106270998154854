namespace BatchNormLab.Checks;

/// <summary>The outcome of a numerical gradient check.</summary>
/// <param name="MaxRelativeError">max over elements of |a − n| / max(|a| + |n|, floor).</param>
/// <param name="WorstIndex">Element with that error.</param>
/// <param name="Analytic">The analytic gradient at that element.</param>
/// <param name="Numeric">The central difference at that element.</param>
/// <param name="Count">Elements compared.</param>
public sealed record GradientCheckResult(double MaxRelativeError, int WorstIndex, double Analytic, double Numeric, int Count)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"max relative error {MaxRelativeError:E2} over {Count} values (worst at {WorstIndex}: analytic {Analytic:G10}, numeric {Numeric:G10})";
}

/// <summary>Numerical gradient checking by central differences, in double precision.</summary>
public static class GradientCheck
{
    /// <summary>
    /// Compares <paramref name="analytic"/> with (f(θ + h e_i) − f(θ − h e_i)) / 2h for every element of
    /// <paramref name="values"/>, which <paramref name="loss"/> must read. Each value is restored after use.
    /// </summary>
    /// <param name="loss">f, evaluated at the current contents of <paramref name="values"/>.</param>
    /// <param name="values">θ, perturbed in place one element at a time.</param>
    /// <param name="analytic">∂f/∂θ to check, same length as <paramref name="values"/>.</param>
    /// <param name="h">Step; 1e-5 balances truncation (h²) and rounding (1e-16/h) for O(1) values.</param>
    /// <param name="floor">Denominator floor, so that two near-zero gradients do not count as a large relative error.</param>
    public static GradientCheckResult Check(Func<double> loss, double[] values, ReadOnlySpan<double> analytic, double h = 1e-5, double floor = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(values);
        if (analytic.Length != values.Length)
            throw new ArgumentException($"Shape mismatch: {analytic.Length} analytic gradients for {values.Length} values.", nameof(analytic));
        var worst = new GradientCheckResult(0, -1, 0, 0, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var numeric = Numeric(loss, values, i, h);
            var error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Abs(analytic[i]) + Math.Abs(numeric), floor);
            if (double.IsNaN(error) || error > worst.MaxRelativeError || worst.WorstIndex < 0)
                worst = new GradientCheckResult(double.IsNaN(error) ? double.PositiveInfinity : error, i, analytic[i], numeric, values.Length);
        }
        return worst;
    }

    /// <summary>The central difference (f(θ + h e_i) − f(θ − h e_i)) / 2h; θ_i is restored afterwards.</summary>
    public static double Numeric(Func<double> loss, double[] values, int index, double h = 1e-5)
    {
        var saved = values[index];
        values[index] = saved + h;
        var plus = loss();
        values[index] = saved - h;
        var minus = loss();
        values[index] = saved;
        return (plus - minus) / (2 * h);
    }
}
