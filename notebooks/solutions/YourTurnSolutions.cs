// Solutions to notebook 01's "Your turn" cells. Try the cells first; to see these, run
//   #load "solutions/YourTurnSolutions.cs"
// in a cell, then YourTurn.CheckForward(YourTurnSolutions.Forward). The tests compile this file
// and check it, so it stays correct.
using BatchNormLab.Tensors;

/// <summary>Batch norm's training forward and backward passes, written plainly (one feature at a time).</summary>
public static class YourTurnSolutions
{
    /// <summary>Algorithm 1: y_i = γ (x_i − μ_B)/√(σ²_B + ε) + β, with the biased σ²_B.</summary>
    public static Matrix<double> Forward(Matrix<double> x, double[] gamma, double[] beta, double eps)
    {
        int m = x.Rows, d = x.Cols;
        var y = new Matrix<double>(m, d);
        for (var j = 0; j < d; j++)
        {
            var mu = 0.0;
            for (var i = 0; i < m; i++) mu += x[i, j];
            mu /= m;
            var variance = 0.0;
            for (var i = 0; i < m; i++) variance += (x[i, j] - mu) * (x[i, j] - mu);
            variance /= m;                                   // biased: 1/m, as the paper normalises
            var invStd = 1 / Math.Sqrt(variance + eps);
            for (var i = 0; i < m; i++) y[i, j] = gamma[j] * (x[i, j] - mu) * invStd + beta[j];
        }
        return y;
    }

    /// <summary>The closed form: dx_i = γ/(m σ) (m dy_i − Σ dy − x̂_i Σ dy·x̂); dγ = Σ dy·x̂; dβ = Σ dy.</summary>
    public static (Matrix<double> Dx, double[] DGamma, double[] DBeta) Backward(Matrix<double> dy, Matrix<double> x, double[] gamma, double eps)
    {
        int m = x.Rows, d = x.Cols;
        var dx = new Matrix<double>(m, d);
        var dGamma = new double[d];
        var dBeta = new double[d];
        var xHat = new double[m];
        for (var j = 0; j < d; j++)
        {
            var mu = 0.0;
            for (var i = 0; i < m; i++) mu += x[i, j];
            mu /= m;
            var variance = 0.0;
            for (var i = 0; i < m; i++) variance += (x[i, j] - mu) * (x[i, j] - mu);
            variance /= m;
            var invStd = 1 / Math.Sqrt(variance + eps);
            double sumDy = 0, sumDyXHat = 0;
            for (var i = 0; i < m; i++)
            {
                xHat[i] = (x[i, j] - mu) * invStd;
                sumDy += dy[i, j];
                sumDyXHat += dy[i, j] * xHat[i];
            }
            dGamma[j] = sumDyXHat;
            dBeta[j] = sumDy;
            for (var i = 0; i < m; i++)
                dx[i, j] = gamma[j] * invStd / m * (m * dy[i, j] - sumDy - xHat[i] * sumDyXHat);
        }
        return (dx, dGamma, dBeta);
    }
}
