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
/// set). The running estimates are restored afterwards: evaluating never changes the model.
/// </remarks>
public sealed class Evaluator
{
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private Matrix<float>? _batch;
    private Matrix<float>? _tail;

    /// <summary>Accuracy and mean loss of <paramref name="model"/> on <paramref name="data"/>; see the class remarks.</summary>
    public static Evaluation Evaluate(Mlp<float> model, Dataset data, Mode mode = Mode.Inference, int batchSize = 1000) =>
        new Evaluator().Run(model, data, mode, batchSize);

    /// <summary>As <see cref="Evaluate"/>, reusing this instance's buffers.</summary>
    public Evaluation Run(Mlp<float> model, Dataset data, Mode mode = Mode.Inference, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != model.InputSize)
            throw new ArgumentException($"Shape mismatch: '{data.Name}' has {data.Features} features, the model takes {model.InputSize}.", nameof(data));
        if (data.ClassCount > model.OutputSize)
            throw new ArgumentException($"'{data.Name}' has {data.ClassCount} classes, the model outputs {model.OutputSize}.", nameof(data));
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The evaluation batch size must be positive.");
        var n = data.Count;
        var b = Math.Min(batchSize, n);
        var tail = n % b;
        if (mode == Mode.Training && (b == 1 || tail == 1))
            throw new ArgumentException(
                $"Evaluating {n} examples of '{data.Name}' in training mode with batch size {batchSize} leaves a batch of 1 example, " +
                "which batch norm cannot normalise in training mode. Pick a batch size of 2 or more that leaves no single example over.", nameof(batchSize));

        var saved = mode == Mode.Training ? RunningStatistics.Capture(model) : null;
        var previousMode = model.Mode;
        model.Mode = mode;
        try
        {
            double lossSum = 0;
            long correct = 0;
            for (var start = 0; start < n; start += b)
            {
                var rows = Math.Min(b, n - start);
                var x = rows == b ? Buffer(ref _batch, rows, data.Features) : Buffer(ref _tail, rows, data.Features);
                Array.Copy(data.Images.Data, (long)start * data.Features, x.Data, 0, (long)rows * data.Features);
                var labels = data.Labels.AsSpan(start, rows);
                var logits = model.Forward(x);
                lossSum += (double)_loss.Forward(logits, labels) * rows;
                correct += CountCorrect(logits, labels);
            }
            return new Evaluation((double)correct / n, lossSum / n, n, mode, b);
        }
        finally
        {
            model.Mode = previousMode;
            saved?.Restore();
        }
    }

    /// <summary>How many rows of <paramref name="logits"/> have their largest value at the label (first maximum wins ties).</summary>
    public static int CountCorrect(Matrix<float> logits, ReadOnlySpan<int> labels)
    {
        var correct = 0;
        for (var i = 0; i < logits.Rows; i++)
        {
            var row = logits.Row(i);
            var best = 0;
            for (var j = 1; j < row.Length; j++)
                if (row[j] > row[best]) best = j;
            if (best == labels[i]) correct++;
        }
        return correct;
    }

    private static Matrix<float> Buffer(ref Matrix<float>? m, int rows, int cols)
    {
        if (m is null || m.Rows != rows || m.Cols != cols) m = new Matrix<float>(rows, cols);
        return m;
    }
}
