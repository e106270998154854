using System.Numerics;

namespace BatchNormLab.Tensors;

/// <summary>Argument checks that name the problem: the shape, the value, the argument.</summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="m"/> is <paramref name="rows"/> x <paramref name="cols"/> (-1 = any).</summary>
    public static void Shape<T>(Matrix<T> m, int rows, int cols, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m, name);
        if ((rows >= 0 && m.Rows != rows) || (cols >= 0 && m.Cols != cols))
            throw new ArgumentException(
                $"Shape mismatch for '{name}': expected {(rows < 0 ? "N" : rows.ToString())}x{(cols < 0 ? "D" : cols.ToString())}, got {m.Shape}.", name);
    }

    /// <summary>Throws if any element is NaN or infinite, naming the first offending position.</summary>
    public static void Finite<T>(Matrix<T> m, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = IndexOfNonFinite(m.Data);
        if (i >= 0)
            throw new ArgumentException(
                $"'{name}' ({m.Shape}) holds {m.Data[i]} at row {i / m.Cols}, column {i % m.Cols}; inputs must be finite.", name);
    }

    /// <summary>
    /// <see cref="Shape{T}(Matrix{T}, int, int, string)"/> for <paramref name="what"/> of layer <paramref name="owner"/>
    /// (e.g. "dense1", "input"): the name is only put together when the check fails, so a training step allocates nothing.
    /// </summary>
    public static void Shape<T>(Matrix<T> m, int rows, int cols, string owner, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m is null || (rows >= 0 && m.Rows != rows) || (cols >= 0 && m.Cols != cols)) Shape(m!, rows, cols, $"{owner} {what}");
    }

    /// <summary><see cref="Finite{T}(Matrix{T}, string)"/> for <paramref name="what"/> of layer <paramref name="owner"/>, allocating nothing when the check passes.</summary>
    public static void Finite<T>(Matrix<T> m, string owner, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IndexOfNonFinite<T>(m.Data) >= 0) Finite(m, $"{owner} {what}");
    }

    /// <summary>Throws unless the per-feature (or per-example) vector <paramref name="v"/> has <paramref name="expected"/> values.</summary>
    public static void Length<T>(ReadOnlySpan<T> v, int expected, string name, string what = "features")
    {
        if (v.Length != expected)
            throw new ArgumentException($"Shape mismatch for '{name}': expected {expected} {what}, got {v.Length}.", name);
    }

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => VectorMath.IndexOfNonFinite(values);
}
