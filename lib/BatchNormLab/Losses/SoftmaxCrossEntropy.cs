using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Losses;

/// <summary>
/// Softmax followed by cross-entropy, averaged over the batch: ℓ = −(1/N) Σ_i log p_i,y_i with
/// p_i = softmax(z_i). Combined because the gradient is then simply (p − onehot(y))/N.
/// </summary>
public sealed class SoftmaxCrossEntropy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _probabilities;
    private Matrix<T>? _gradient;
    private int[]? _labels;

    /// <summary>Softmax probabilities of the last <see cref="Forward"/> (N x C).</summary>
    public Matrix<T> Probabilities => _probabilities ?? throw new InvalidOperationException("Forward has not run yet.");

    /// <summary>Returns the mean loss of <paramref name="logits"/> (N x C) against class <paramref name="labels"/> (N values in 0..C−1).</summary>
    public T Forward(Matrix<T> logits, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (labels.Length != logits.Rows)
            throw new ArgumentException($"Shape mismatch: {labels.Length} labels for {logits.Rows} rows of logits ({logits.Shape}).", nameof(labels));
        if (_probabilities is null || _probabilities.Rows != logits.Rows || _probabilities.Cols != logits.Cols)
        {
            _probabilities = new Matrix<T>(logits.Rows, logits.Cols);
            _gradient = new Matrix<T>(logits.Rows, logits.Cols);
            _labels = new int[logits.Rows];
        }
        labels.CopyTo(_labels);
        var loss = T.Zero;
        for (var i = 0; i < logits.Rows; i++)
        {
            var y = labels[i];
            if ((uint)y >= (uint)logits.Cols)
                throw new ArgumentOutOfRangeException(nameof(labels), y, $"Label at row {i} is {y}; classes are 0..{logits.Cols - 1}.");
            var z = logits.Row(i);
            var p = _probabilities.Row(i);
            // Subtract the row maximum so exp never overflows.
            var max = z[0];
            for (var j = 1; j < z.Length; j++) max = T.Max(max, z[j]);
            if (!T.IsFinite(max))
                throw new ArgumentException($"Logits at row {i} are not finite ({max}): training diverged or the input holds NaN/Inf.", nameof(logits));
            var sum = T.Zero;
            for (var j = 0; j < z.Length; j++) sum += p[j] = T.Exp(z[j] - max);
            for (var j = 0; j < z.Length; j++) p[j] /= sum;
            loss += max + T.Log(sum) - z[y];
        }
        return loss / T.CreateChecked(logits.Rows);
    }

    /// <summary>∂ℓ/∂z = (p − onehot(y))/N for the last <see cref="Forward"/>.</summary>
    public Matrix<T> Backward()
    {
        var p = Probabilities;
        var g = _gradient!;
        var invN = T.One / T.CreateChecked(p.Rows);
        for (var i = 0; i < p.Rows; i++)
        {
            var pr = p.Row(i);
            var gr = g.Row(i);
            for (var j = 0; j < pr.Length; j++) gr[j] = pr[j] * invN;
            gr[_labels![i]] -= invN;
        }
        return g;
    }
}
