using BatchNormLab.Tensors;

namespace BatchNormLab.Notebooks.Tests;

/// <summary>The "Your turn" checker passes the kept solutions and names where a wrong answer differs.</summary>
public class YourTurnTests
{
    [Fact]
    public void The_solutions_pass()
    {
        var forward = YourTurn.CheckForward(YourTurnSolutions.Forward);
        var backward = YourTurn.CheckBackward(YourTurnSolutions.Backward);
        Assert.True(forward.Passed, forward.Message);
        Assert.True(backward.Passed, backward.Message);
    }

    [Fact]
    public void A_forward_pass_with_the_unbiased_variance_is_caught_and_located()
    {
        // The most common slip: normalising with 1/(m − 1).
        Matrix<double> Unbiased(Matrix<double> x, double[] gamma, double[] beta, double eps)
        {
            var y = YourTurnSolutions.Forward(x, gamma, beta, eps);
            var m = x.Rows;
            var scale = Math.Sqrt((m - 1.0) / m); // the biased σ over the unbiased one
            for (var i = 0; i < y.Rows; i++)
                for (var j = 0; j < y.Cols; j++)
                    y[i, j] = (y[i, j] - beta[j]) * scale + beta[j];
            return y;
        }
        var v = YourTurn.CheckForward(Unbiased);
        Assert.False(v.Passed);
        Assert.Matches(@"y\[\d+, \d+\] is", v.Message);
    }

    [Fact]
    public void A_backward_pass_that_forgets_the_mean_terms_is_caught()
    {
        (Matrix<double>, double[], double[]) Naive(Matrix<double> dy, Matrix<double> x, double[] gamma, double eps)
        {
            var (dx, dGamma, dBeta) = YourTurnSolutions.Backward(dy, x, gamma, eps);
            var naive = new Matrix<double>(dx.Rows, dx.Cols);
            for (var i = 0; i < dx.Rows; i++)
                for (var j = 0; j < dx.Cols; j++)
                    naive[i, j] = dx[i, j] + 0.01 * dy[i, j]; // anything but the right dx
            return (naive, dGamma, dBeta);
        }
        var v = YourTurn.CheckBackward(Naive);
        Assert.False(v.Passed);
        Assert.Contains("dx[", v.Message);
        Assert.DoesNotContain("dγ", v.Message);
    }

    [Fact]
    public void A_stub_is_reported_as_not_written_yet()
    {
        var v = YourTurn.CheckForward((_, _, _, _) => throw new NotImplementedException());
        Assert.False(v.Passed);
        Assert.Contains("not written yet", v.Message);
    }
}
