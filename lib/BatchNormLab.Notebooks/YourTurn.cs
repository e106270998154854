using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Notebooks;

/// <summary>
/// CS231n-style exercises: the reader writes batch norm's forward or backward pass in a cell, and the
/// next cell compares it with the library on a random batch (double precision, non-trivial γ and β,
/// random upstream gradient) and says where it differs. A stub that throws
/// <see cref="NotImplementedException"/> is reported as not written yet, so a notebook runs either way.
/// </summary>
public static class YourTurn
{
    /// <summary>The largest difference still counted as equal (rounding of a different but correct order of operations).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>A forward pass: y from x (m x d), γ, β and ε.</summary>
    public delegate Matrix<double> Forward(Matrix<double> x, double[] gamma, double[] beta, double eps);

    /// <summary>A backward pass: (dx, dγ, dβ) from the upstream gradient dy, x, γ and ε (the pass recomputes what it needs).</summary>
    public delegate (Matrix<double> Dx, double[] DGamma, double[] DBeta) Backward(Matrix<double> dy, Matrix<double> x, double[] gamma, double eps);

    /// <summary>Compares <paramref name="mine"/> with <see cref="BatchNormMath.ForwardTraining{T}"/> on a seeded random batch.</summary>
    public static Verdict CheckForward(Forward mine, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var (x, gamma, beta) = Inputs(seed);
        const double eps = 1e-5;
        var (m, d) = (x.Rows, x.Cols);
        var y = new Matrix<double>(m, d);
        BatchNormMath.ForwardTraining(x, gamma, beta, eps, y, new Matrix<double>(m, d), new double[d], new double[d], new double[d]);
        return Attempt("forward", () => [Compare("y", mine(x, gamma, beta, eps), y)]);
    }

    /// <summary>Compares <paramref name="mine"/> with <see cref="BatchNormMath.BackwardClosedForm{T}"/> on a seeded random batch and upstream gradient.</summary>
    public static Verdict CheckBackward(Backward mine, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var (x, gamma, beta) = Inputs(seed);
        const double eps = 1e-5;
        var (m, d) = (x.Rows, x.Cols);
        var rng = new Random(seed + 100);
        var dy = new Matrix<double>(m, d);
        for (var i = 0; i < dy.Data.Length; i++) dy.Data[i] = rng.NextDouble() * 2 - 1;
        var xHat = new Matrix<double>(m, d);
        var invStd = new double[d];
        BatchNormMath.ForwardTraining(x, gamma, beta, eps, new Matrix<double>(m, d), xHat, new double[d], new double[d], invStd);
        var dx = new Matrix<double>(m, d);
        var (dGamma, dBeta) = (new double[d], new double[d]);
        BatchNormMath.BackwardClosedForm(dy, xHat, gamma, invStd, dx, dGamma, dBeta);
        return Attempt("backward", () =>
        {
            var (myDx, myDGamma, myDBeta) = mine(dy, x, gamma, eps);
            return [Compare("dx", myDx, dx), Compare("dγ", Row(myDGamma), Row(dGamma)!), Compare("dβ", Row(myDBeta), Row(dBeta)!)];
        });
    }

    private static Verdict Attempt(string what, Func<string?[]> compare)
    {
        try
        {
            var problems = compare().Where(p => p is not null).ToArray();
            return problems.Length == 0
                ? new Verdict(true, $"Your {what} pass matches the library's (every value within {Tolerance:0e0}).")
                : new Verdict(false, $"Your {what} pass differs from the library's: " + string.Join(" ", problems));
        }
        catch (NotImplementedException)
        {
            return new Verdict(false, $"Your {what} pass is not written yet: replace the throw in the cell above, run it, then run this cell again.");
        }
    }

    private static string? Compare(string name, Matrix<double>? mine, Matrix<double> reference)
    {
        if (mine is null) return $"{name} is null.";
        if (mine.Rows != reference.Rows || mine.Cols != reference.Cols)
            return $"{name} has shape {mine.Rows} x {mine.Cols}, expected {reference.Rows} x {reference.Cols}.";
        var worst = -1;
        var worstDiff = 0.0;
        for (var k = 0; k < reference.Data.Length; k++)
        {
            var diff = Math.Abs(mine.Data[k] - reference.Data[k]);
            if (double.IsNaN(diff) || diff > worstDiff) (worst, worstDiff) = (k, double.IsNaN(diff) ? double.PositiveInfinity : diff);
        }
        if (worst < 0 || worstDiff <= Tolerance) return null;
        var (row, col) = (worst / reference.Cols, worst % reference.Cols);
        return $"{name}[{row}, {col}] is {mine.Data[worst]:G6}, the library's {reference.Data[worst]:G6} (the largest of the differences).";
    }

    private static Matrix<double>? Row(double[]? v)
    {
        if (v is null) return null;
        var m = new Matrix<double>(1, v.Length);
        v.CopyTo(m.Data, 0);
        return m;
    }

    // A batch of 8 examples and 3 features with different means and spreads; γ and β away from 1 and 0.
    private static (Matrix<double> X, double[] Gamma, double[] Beta) Inputs(int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix<double>(8, 3);
        double[] shift = [5, -2, 0.5], scale = [2, 0.5, 3];
        for (var i = 0; i < 8; i++)
            for (var j = 0; j < 3; j++)
                x[i, j] = shift[j] + scale[j] * (rng.NextDouble() * 2 - 1);
        return (x, [1.5, 0.7, -1.2], [0.3, -1, 2]);
    }
}

/// <summary>The outcome of a <see cref="YourTurn"/> check, shown as one sentence.</summary>
/// <param name="Passed">Whether the reader's code matched.</param>
/// <param name="Message">What matched, or where it differs.</param>
public sealed record Verdict(bool Passed, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
