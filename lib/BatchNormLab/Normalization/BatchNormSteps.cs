using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Every intermediate of the training forward pass, one elementary node each (Kratzert 2016):
/// μ = mean(x), xμ = x − μ, sq = xμ², var = mean(sq), sqrtvar = √(var + ε), ivar = 1/sqrtvar,
/// x̂ = xμ · ivar, γx = γ x̂, out = γx + β. Per-feature nodes are 1 x D, the rest N x D.
/// </summary>
/// <param name="X">x, the input (N x D).</param>
/// <param name="Gamma">γ (1 x D).</param>
/// <param name="Beta">β (1 x D).</param>
/// <param name="Eps">ε.</param>
/// <param name="Mu">μ_B (1 x D).</param>
/// <param name="XMu">x − μ_B.</param>
/// <param name="Sq">(x − μ_B)².</param>
/// <param name="Var">σ²_B, the biased batch variance (1 x D).</param>
/// <param name="SqrtVar">√(σ²_B + ε) (1 x D).</param>
/// <param name="IVar">1/√(σ²_B + ε) (1 x D).</param>
/// <param name="XHat">x̂, the normalised input.</param>
/// <param name="GammaX">γ x̂.</param>
/// <param name="Out">y = γ x̂ + β.</param>
public sealed record BatchNormForwardTrace(
    Matrix<double> X, Matrix<double> Gamma, Matrix<double> Beta, double Eps,
    Matrix<double> Mu, Matrix<double> XMu, Matrix<double> Sq, Matrix<double> Var, Matrix<double> SqrtVar,
    Matrix<double> IVar, Matrix<double> XHat, Matrix<double> GammaX, Matrix<double> Out);

/// <summary>
/// Every gradient of the backward pass, walking the forward nodes in reverse (Kratzert 2016);
/// each field is ∂ℓ/∂(node). x receives two contributions: DX1 through xμ and DX2 through μ.
/// </summary>
/// <param name="DOut">∂ℓ/∂y, the upstream gradient.</param>
/// <param name="DBeta">∂ℓ/∂β = Σ_i ∂ℓ/∂y_i.</param>
/// <param name="DGammaX">∂ℓ/∂(γx̂) = ∂ℓ/∂y.</param>
/// <param name="DGamma">∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i.</param>
/// <param name="DXHat">∂ℓ/∂x̂ = ∂ℓ/∂y γ.</param>
/// <param name="DIVar">∂ℓ/∂ivar = Σ_i ∂ℓ/∂x̂_i xμ_i.</param>
/// <param name="DXMu1">∂ℓ/∂xμ through x̂ = ∂ℓ/∂x̂ · ivar.</param>
/// <param name="DSqrtVar">∂ℓ/∂sqrtvar = −∂ℓ/∂ivar / sqrtvar².</param>
/// <param name="DVar">∂ℓ/∂σ²_B = ∂ℓ/∂sqrtvar / (2 sqrtvar).</param>
/// <param name="DSq">∂ℓ/∂sq = ∂ℓ/∂σ²_B / N for every row.</param>
/// <param name="DXMu2">∂ℓ/∂xμ through the variance = 2 xμ ∂ℓ/∂sq.</param>
/// <param name="DX1">∂ℓ/∂x through xμ = DXMu1 + DXMu2.</param>
/// <param name="DMu">∂ℓ/∂μ_B = −Σ_i DX1_i.</param>
/// <param name="DX2">∂ℓ/∂x through μ_B = ∂ℓ/∂μ_B / N for every row.</param>
/// <param name="DX">∂ℓ/∂x = DX1 + DX2.</param>
public sealed record BatchNormBackwardTrace(
    Matrix<double> DOut, Matrix<double> DBeta, Matrix<double> DGammaX, Matrix<double> DGamma, Matrix<double> DXHat,
    Matrix<double> DIVar, Matrix<double> DXMu1, Matrix<double> DSqrtVar, Matrix<double> DVar, Matrix<double> DSq,
    Matrix<double> DXMu2, Matrix<double> DX1, Matrix<double> DMu, Matrix<double> DX2, Matrix<double> DX);

/// <summary>
/// Batch norm node by node, keeping every intermediate, for teaching and inspection. Slow and
/// allocation-heavy on purpose; <see cref="BatchNormMath"/> is what layers run. Both give the same numbers.
/// </summary>
public static class BatchNormSteps
{
    /// <summary>The training forward pass (Algorithm 1) one node at a time.</summary>
    public static BatchNormForwardTrace Forward(Matrix<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.Finite(x, "x");
        int n = x.Rows, d = x.Cols;
        if (gamma.Length != d || beta.Length != d)
            throw new ArgumentException($"Shape mismatch: x has {d} features but γ has {gamma.Length} and β {beta.Length}.");
        if (n < 2) throw new ArgumentException($"Batch norm in training mode needs a batch of 2 or more; x is {x.Shape}.", nameof(x));
        var g = Matrix<double>.RowVector(gamma.ToArray());
        var b = Matrix<double>.RowVector(beta.ToArray());
        var mu = PerFeature(d, j => Column(x, j).Average());
        var xmu = Map(x, (i, j) => x[i, j] - mu[0, j]);
        var sq = Map(xmu, (i, j) => xmu[i, j] * xmu[i, j]);
        var var_ = PerFeature(d, j => Column(sq, j).Average());
        var sqrtvar = PerFeature(d, j => Math.Sqrt(var_[0, j] + eps));
        var ivar = PerFeature(d, j => 1.0 / sqrtvar[0, j]);
        var xhat = Map(x, (i, j) => xmu[i, j] * ivar[0, j]);
        var gammax = Map(x, (i, j) => g[0, j] * xhat[i, j]);
        var y = Map(x, (i, j) => gammax[i, j] + b[0, j]);
        return new BatchNormForwardTrace(x.Clone(), g, b, eps, mu, xmu, sq, var_, sqrtvar, ivar, xhat, gammax, y);
    }

    /// <summary>The backward pass, walking <paramref name="f"/>'s nodes in reverse with upstream gradient <paramref name="dout"/>.</summary>
    public static BatchNormBackwardTrace Backward(BatchNormForwardTrace f, Matrix<double> dout)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(dout);
        Guard.Shape(dout, f.X.Rows, f.X.Cols, "∂ℓ/∂y");
        int n = f.X.Rows, d = f.X.Cols;
        var dbeta = PerFeature(d, j => Column(dout, j).Sum());
        var dgammax = dout.Clone();
        var dgamma = PerFeature(d, j => Enumerable.Range(0, n).Sum(i => dgammax[i, j] * f.XHat[i, j]));
        var dxhat = Map(dout, (i, j) => dgammax[i, j] * f.Gamma[0, j]);
        var divar = PerFeature(d, j => Enumerable.Range(0, n).Sum(i => dxhat[i, j] * f.XMu[i, j]));
        var dxmu1 = Map(dout, (i, j) => dxhat[i, j] * f.IVar[0, j]);
        var dsqrtvar = PerFeature(d, j => -divar[0, j] / (f.SqrtVar[0, j] * f.SqrtVar[0, j]));
        var dvar = PerFeature(d, j => 0.5 / f.SqrtVar[0, j] * dsqrtvar[0, j]);
        var dsq = Map(dout, (_, j) => dvar[0, j] / n);
        var dxmu2 = Map(dout, (i, j) => 2 * f.XMu[i, j] * dsq[i, j]);
        var dx1 = Map(dout, (i, j) => dxmu1[i, j] + dxmu2[i, j]);
        var dmu = PerFeature(d, j => -Column(dx1, j).Sum());
        var dx2 = Map(dout, (_, j) => dmu[0, j] / n);
        var dx = Map(dout, (i, j) => dx1[i, j] + dx2[i, j]);
        return new BatchNormBackwardTrace(dout.Clone(), dbeta, dgammax, dgamma, dxhat, divar, dxmu1, dsqrtvar, dvar, dsq, dxmu2, dx1, dmu, dx2, dx);
    }

    private static IEnumerable<double> Column(Matrix<double> m, int j) => Enumerable.Range(0, m.Rows).Select(i => m[i, j]);

    private static Matrix<double> PerFeature(int d, Func<int, double> f)
    {
        var m = new Matrix<double>(1, d);
        for (var j = 0; j < d; j++) m[0, j] = f(j);
        return m;
    }

    private static Matrix<double> Map(Matrix<double> shape, Func<int, int, double> f)
    {
        var m = new Matrix<double>(shape.Rows, shape.Cols);
        for (var i = 0; i < m.Rows; i++)
            for (var j = 0; j < m.Cols; j++) m[i, j] = f(i, j);
        return m;
    }
}
