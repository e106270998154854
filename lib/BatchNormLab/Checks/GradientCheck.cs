using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Checks;

/// <summary>The outcome of a numerical gradient check.</summary>
/// <param name="MaxRelativeError">max over elements of |a − n| / max(|a| + |n|, floor).</param>
/// <param name="WorstIndex">Element with that error.</param>
/// <param name="Analytic">The analytic gradient at that element.</param>
/// <param name="Numeric">The central difference at that element.</param>
/// <param name="Count">Elements compared.</param>
/// <param name="MaxScaledError">
/// max over elements of |a − n| / max_k |n_k|: the error relative to the gradient's scale. Element-wise relative
/// error is ill-posed for an element that is small only by cancellation; this one is not.
/// </param>
public sealed record GradientCheckResult(double MaxRelativeError, int WorstIndex, double Analytic, double Numeric, int Count, double MaxScaledError = double.NaN)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"max relative error {MaxRelativeError:E2}, scaled {MaxScaledError:E2}, over {Count} values (worst at {WorstIndex}: analytic {Analytic:G10}, numeric {Numeric:G10})";
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
        ArgumentNullException.ThrowIfNull(values);
        var steps = new double[values.Length];
        Array.Fill(steps, h);
        return Check(loss, values, analytic, steps, fourthOrder: false, floor);
    }

    /// <summary>
    /// As <see cref="Check(Func{double}, double[], ReadOnlySpan{double}, double, double)"/> with a step per element
    /// (see <see cref="ColumnSteps{T}(Matrix{T}, double)"/>) and optionally the fourth-order central difference
    /// (−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h, whose truncation error is O(h⁴) instead of O(h²):
    /// it allows a larger step, which is what a feature with a large mean and a small spread needs
    /// (rounding in f grows with the mean, truncation with h/spread).
    /// </summary>
    public static GradientCheckResult Check(Func<double> loss, double[] values, ReadOnlySpan<double> analytic, ReadOnlySpan<double> steps, bool fourthOrder, double floor = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(values);
        if (analytic.Length != values.Length)
            throw new ArgumentException($"Shape mismatch: {analytic.Length} analytic gradients for {values.Length} values.", nameof(analytic));
        if (steps.Length != values.Length)
            throw new ArgumentException($"Shape mismatch: {steps.Length} steps for {values.Length} values.", nameof(steps));
        var worst = new GradientCheckResult(0, -1, 0, 0, values.Length);
        double maxDiff = 0, maxNumeric = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var numeric = fourthOrder ? NumericFourthOrder(loss, values, i, steps[i]) : Numeric(loss, values, i, steps[i]);
            var diff = Math.Abs(analytic[i] - numeric);
            maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
            maxNumeric = Math.Max(maxNumeric, Math.Abs(numeric));
            var error = diff / Math.Max(Math.Abs(analytic[i]) + Math.Abs(numeric), floor);
            if (double.IsNaN(error) || error > worst.MaxRelativeError || worst.WorstIndex < 0)
                worst = new GradientCheckResult(double.IsNaN(error) ? double.PositiveInfinity : error, i, analytic[i], numeric, values.Length);
        }
        return worst with { MaxScaledError = maxDiff / Math.Max(maxNumeric, floor) };
    }

    /// <summary>
    /// The central difference (f(θ + h e_i) − f(θ − h e_i)) / 2h; θ_i is restored afterwards. The divisor is
    /// the step actually taken ((θ_i + h) − (θ_i − h) after rounding), which differs from 2h when |θ_i| ≫ h.
    /// </summary>
    public static double Numeric(Func<double> loss, double[] values, int index, double h = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(values);
        var saved = values[index];
        var up = saved + h;
        var down = saved - h;
        values[index] = up;
        var plus = loss();
        values[index] = down;
        var minus = loss();
        values[index] = saved;
        return (plus - minus) / (up - down);
    }

    /// <summary>
    /// The fourth-order central difference (−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h; θ_i is restored.
    /// h is first rounded so that θ_i ± h and θ_i ± 2h are exact, keeping the stencil symmetric.
    /// </summary>
    public static double NumericFourthOrder(Func<double> loss, double[] values, int index, double h)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(values);
        var saved = values[index];
        h = (saved + h) - saved; // a step representable at θ_i's magnitude
        double At(double v)
        {
            values[index] = v;
            return loss();
        }
        var d = -At(saved + 2 * h) + 8 * At(saved + h) - 8 * At(saved - h) + At(saved - 2 * h);
        values[index] = saved;
        return d / (12 * h);
    }

    /// <summary>
    /// A step per element of an N x D input: <paramref name="relative"/> times the spread (biased standard
    /// deviation) of the element's column, or times 1 where a column is constant. Steps scaled to the data:
    /// a feature 1000 ± 0.01 needs a step far below 1e-5 · 1000 and well above the rounding of 1000.
    /// </summary>
    public static double[] ColumnSteps<T>(Matrix<T> x, double relative = 1e-3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var steps = new double[x.Data.Length];
        for (var j = 0; j < x.Cols; j++)
        {
            double mean = 0, sq = 0;
            for (var i = 0; i < x.Rows; i++) mean += double.CreateChecked(x[i, j]);
            mean /= x.Rows;
            for (var i = 0; i < x.Rows; i++)
            {
                var c = double.CreateChecked(x[i, j]) - mean;
                sq += c * c;
            }
            var spread = Math.Sqrt(sq / x.Rows);
            for (var i = 0; i < x.Rows; i++) steps[i * x.Cols + j] = relative * (spread > 0 ? spread : 1);
        }
        return steps;
    }
}
