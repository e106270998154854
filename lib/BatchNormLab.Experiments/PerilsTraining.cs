using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>The plain training step and the accuracy measurements the perils experiments share.</summary>
public static class PerilsTraining
{
    /// <summary>
    /// Trains <paramref name="mlp"/> in training mode for <paramref name="steps"/> plain-SGD steps on batches
    /// from <paramref name="batches"/>; returns the mean training loss over the last tenth of the steps.
    /// </summary>
    public static double Train(Mlp<float> mlp, IBatchSource batches, int steps, double learningRate, Action<int>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(batches);
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Train at least one step.");
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(learningRate);
        mlp.Mode = Mode.Training;
        var tail = Math.Max(1, steps / 10);
        var tailLoss = 0.0;
        for (var step = 0; step < steps; step++)
        {
            var batch = batches.Next();
            var l = loss.Forward(mlp.Forward(batch.Images), batch.Labels);
            mlp.Backward(loss.Backward());
            sgd.Step(mlp.Parameters);
            if (step >= steps - tail) tailLoss += l;
            onStep?.Invoke(step);
        }
        return tailLoss / tail;
    }

    /// <summary>
    /// Fraction of correct predictions over the given batches of <paramref name="data"/> (each an array of row
    /// indices), in <paramref name="mode"/>. A training-mode evaluation normalises each batch with its own
    /// statistics; the running estimates it would update are restored afterwards, so measuring changes nothing.
    /// </summary>
    public static double Accuracy(Mlp<float> mlp, Dataset data, Mode mode, IEnumerable<int[]> batches)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        var saved = RunningStatistics.Capture(mlp);
        var previous = mlp.Mode;
        mlp.Mode = mode;
        try
        {
            long correct = 0, total = 0;
            Matrix<float>? x = null;
            foreach (var rows in batches)
            {
                if (x is null || x.Rows != rows.Length) x = new Matrix<float>(rows.Length, data.Features);
                for (var r = 0; r < rows.Length; r++) data.Images.Row(rows[r]).CopyTo(x.Row(r));
                var logits = mlp.Forward(x);
                for (var r = 0; r < rows.Length; r++)
                    if (ArgMax(logits.Row(r)) == data.Labels[rows[r]]) correct++;
                total += rows.Length;
            }
            if (total == 0) throw new ArgumentException("No examples to evaluate.", nameof(batches));
            return (double)correct / total;
        }
        finally
        {
            mlp.Mode = previous;
            saved.Restore();
        }
    }

    /// <summary>Accuracy over the first <paramref name="count"/> examples (0 = all) in consecutive batches of <paramref name="batchSize"/>.</summary>
    public static double Accuracy(Mlp<float> mlp, Dataset data, Mode mode, int batchSize = 500, int count = 0) =>
        Accuracy(mlp, data, mode, ConsecutiveBatches(Count(data, count), batchSize));

    /// <summary>Rows 0..count−1 cut into consecutive batches of <paramref name="batchSize"/> (a last partial batch is dropped unless it is the only one).</summary>
    public static IEnumerable<int[]> ConsecutiveBatches(int count, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        if (count < batchSize) batchSize = count;
        for (var start = 0; start + batchSize <= count; start += batchSize)
            yield return Enumerable.Range(start, batchSize).ToArray();
    }

    /// <summary>Index of the largest value.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var j = 1; j < values.Length; j++)
            if (values[j] > values[best]) best = j;
        return best;
    }

    internal static int Count(Dataset data, int count) => count <= 0 || count > data.Count ? data.Count : count;
}
