using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Training;

/// <summary>
/// Measures a model's accuracy and loss on a data set, batch by batch. An instance keeps its buffers
/// between calls (the trainer evaluates repeatedly); <see cref="Evaluate"/> is the one-off form.
/// </summary>
/// <remarks>
/// In <see cref="Mode.Training"/> each batch is normalised with its own statistics, so the result
/// depends on the batch size and on which examples share a batch (consecutive examples of the data
/// set, or the row batches given). The running estimates are restored afterwards: evaluating never
/// changes the model.
/// </remarks>
public sealed class Evaluator
{
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private Matrix<float>? _batch;
    private Matrix<float>? _tail;
    private int[] _labels = [];

    /// <summary>Accuracy and mean loss of <paramref name="model"/> on <paramref name="data"/>; see the class remarks.</summary>
    public static Evaluation Evaluate(Sequential<float> model, Dataset data, Mode mode = Mode.Inference, int batchSize = 1000) =>
        new Evaluator().Run(model, data, mode, batchSize);

    /// <summary>As <see cref="Evaluate"/>, reusing this instance's buffers: consecutive batches of <paramref name="batchSize"/> examples.</summary>
    public Evaluation Run(Sequential<float> model, Dataset data, Mode mode = Mode.Inference, int batchSize = 1000)
    {
        Check(model, data);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The evaluation batch size must be positive.");
        var n = data.Count;
        var b = Math.Min(batchSize, n);
        var tail = n % b;
        if (mode == Mode.Training && model.Normalizations.Count > 0 && (b == 1 || tail == 1))
            throw new ArgumentException(
                $"Evaluating {n} examples of '{data.Name}' in training mode with batch size {batchSize} leaves a batch of 1 example, " +
                "which batch norm cannot normalise in training mode. Pick a batch size of 2 or more that leaves no single example over.", nameof(batchSize));
        return InMode(model, mode, () =>
        {
            var sum = new Sums();
            for (var start = 0; start < n; start += b)
            {
                var rows = Math.Min(b, n - start);
                var x = rows == b ? Buffer(ref _batch, rows, data.Features) : Buffer(ref _tail, rows, data.Features);
                Array.Copy(data.Images.Data, (long)start * data.Features, x.Data, 0, (long)rows * data.Features);
                Accumulate(model, x, data.Labels.AsSpan(start, rows), ref sum);
            }
            return new Evaluation((double)sum.Correct / n, sum.Loss / n, n, mode, b);
        });
    }

    /// <summary>
    /// Accuracy and mean loss over the given batches of <paramref name="data"/>, each an array of row indices
    /// (e.g. few-class batches, or one example at a time). In training mode each batch is normalised with its own statistics.
    /// </summary>
    public Evaluation Run(Sequential<float> model, Dataset data, Mode mode, IEnumerable<int[]> batches)
    {
        Check(model, data);
        ArgumentNullException.ThrowIfNull(batches);
        return InMode(model, mode, () =>
        {
            var sum = new Sums();
            long total = 0;
            var first = 0;
            foreach (var rows in batches)
            {
                if (rows.Length == 0) continue;
                if (first == 0) first = rows.Length;
                var x = Buffer(ref _batch, rows.Length, data.Features);
                if (_labels.Length != rows.Length) _labels = new int[rows.Length];
                for (var r = 0; r < rows.Length; r++)
                {
                    if ((uint)rows[r] >= (uint)data.Count)
                        throw new ArgumentOutOfRangeException(nameof(batches), rows[r], $"Row {rows[r]} is outside '{data.Name}' (0..{data.Count - 1}).");
                    data.Images.Row(rows[r]).CopyTo(x.Row(r));
                    _labels[r] = data.Labels[rows[r]];
                }
                Accumulate(model, x, _labels, ref sum);
                total += rows.Length;
            }
            if (total == 0) throw new ArgumentException("No examples to evaluate: every batch is empty.", nameof(batches));
            return new Evaluation((double)sum.Correct / total, sum.Loss / total, (int)total, mode, first);
        });
    }

    /// <summary>How many rows of <paramref name="logits"/> have their largest value at the label (first maximum wins ties).</summary>
    public static int CountCorrect(Matrix<float> logits, ReadOnlySpan<int> labels)
    {
        var correct = 0;
        for (var i = 0; i < logits.Rows; i++)
            if (ArgMax(logits.Row(i)) == labels[i]) correct++;
        return correct;
    }

    /// <summary>Index of the largest value (the first, on ties): the predicted class of one row of logits.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var j = 1; j < values.Length; j++)
            if (values[j] > values[best]) best = j;
        return best;
    }

    private void Accumulate(Sequential<float> model, Matrix<float> x, ReadOnlySpan<int> labels, ref Sums sum)
    {
        var logits = model.Forward(x);
        sum.Loss += (double)_loss.Forward(logits, labels) * x.Rows;
        sum.Correct += CountCorrect(logits, labels);
    }

    // Switches the mode for one evaluation and undoes everything it changes, even when it throws.
    private static Evaluation InMode(Sequential<float> model, Mode mode, Func<Evaluation> run)
    {
        var saved = mode == Mode.Training ? RunningStatistics<float>.Capture(model) : null;
        var previousMode = model.Mode;
        model.Mode = mode;
        try
        {
            return run();
        }
        finally
        {
            model.Mode = previousMode;
            saved?.Restore();
        }
    }

    private static void Check(Sequential<float> model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != model.InputSize)
            throw new ArgumentException($"Shape mismatch: '{data.Name}' has {data.Features} features, the model takes {model.InputSize}.", nameof(data));
        if (data.ClassCount > model.OutputSize)
            throw new ArgumentException($"'{data.Name}' has {data.ClassCount} classes, the model outputs {model.OutputSize}.", nameof(data));
    }

    private static Matrix<float> Buffer(ref Matrix<float>? m, int rows, int cols)
    {
        if (m is null || m.Rows != rows || m.Cols != cols) m = new Matrix<float>(rows, cols);
        return m;
    }

    private struct Sums
    {
        public double Loss;
        public long Correct;
    }
}
