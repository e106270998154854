namespace BatchNormLab.Measurements;

/// <summary>
/// Distances and angles between two gradients (or any two vectors split into the same blocks, e.g. one
/// array per parameter), accumulated in double. Pure functions.
/// </summary>
public static class GradientGeometry
{
    /// <summary>Σ_i a_i b_i over every block.</summary>
    public static double Dot(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        CheckBlocks(a, b);
        var s = 0.0;
        for (var k = 0; k < a.Count; k++)
            for (var i = 0; i < a[k].Length; i++) s += (double)a[k][i] * b[k][i];
        return s;
    }

    /// <summary>‖a‖₂ over every block.</summary>
    public static double Norm(IReadOnlyList<float[]> a) => Math.Sqrt(Dot(a, a));

    /// <summary>‖a − b‖₂ over every block.</summary>
    public static double Distance(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        CheckBlocks(a, b);
        var s = 0.0;
        for (var k = 0; k < a.Count; k++)
            for (var i = 0; i < a[k].Length; i++)
            {
                var d = (double)a[k][i] - b[k][i];
                s += d * d;
            }
        return Math.Sqrt(s);
    }

    /// <summary>cos∠(a, b) = a·b / (‖a‖ ‖b‖); NaN when either vector is zero.</summary>
    public static double Cosine(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        var denominator = Norm(a) * Norm(b);
        return denominator > 0 ? Dot(a, b) / denominator : double.NaN;
    }

    /// <summary>The single-block forms.</summary>
    public static double Distance(float[] a, float[] b) => Distance([a], [b]);

    /// <inheritdoc cref="Cosine(IReadOnlyList{float[]}, IReadOnlyList{float[]})"/>
    public static double Cosine(float[] a, float[] b) => Cosine([a], [b]);

    private static void CheckBlocks(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"Shape mismatch: {a.Count} blocks against {b.Count}.", nameof(b));
        for (var k = 0; k < a.Count; k++)
            if (a[k].Length != b[k].Length) throw new ArgumentException($"Shape mismatch in block {k}: {a[k].Length} values against {b[k].Length}.", nameof(b));
    }
}
