using System.Numerics;

namespace BatchNormLab.Tensors;

/// <summary>
/// A dense row-major matrix: row <c>r</c> holds one example (or one input unit of a weight matrix),
/// column <c>c</c> one feature. <typeparamref name="T"/> is <see cref="float"/> for training and
/// <see cref="double"/> for gradient checks.
/// </summary>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero matrix of the given shape.</summary>
    public Matrix(int rows, int cols)
        : this(rows, cols, new T[checked(Validate(rows, cols) * cols)])
    {
    }

    /// <summary>Wraps <paramref name="data"/> (row-major, length rows*cols) without copying.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        Validate(rows, cols);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != rows * cols)
            throw new ArgumentException($"Data length {data.Length} does not match shape {rows}x{cols} ({rows * cols}).", nameof(data));
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    /// <summary>Number of rows (the batch size for activations).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Cols { get; }

    /// <summary>The elements, row-major.</summary>
    public T[] Data { get; }

    /// <summary>Shape as text, e.g. "60x100", for error messages.</summary>
    public string Shape => $"{Rows}x{Cols}";

    /// <summary>Element at row <paramref name="r"/>, column <paramref name="c"/>.</summary>
    public ref T this[int r, int c] => ref Data[r * Cols + c];

    /// <summary>Row <paramref name="r"/> as a span.</summary>
    public Span<T> Row(int r) => Data.AsSpan(r * Cols, Cols);

    /// <summary>A deep copy.</summary>
    public Matrix<T> Clone() => new(Rows, Cols, (T[])Data.Clone());

    /// <summary>Builds a matrix from rows of equal length (handy in tests and notebooks).</summary>
    public static Matrix<T> FromRows(params T[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) throw new ArgumentException("At least one row is needed.", nameof(rows));
        var m = new Matrix<T>(rows.Length, rows[0].Length);
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != m.Cols)
                throw new ArgumentException($"Row {r} has {rows[r].Length} values; row 0 has {m.Cols}.", nameof(rows));
            rows[r].CopyTo(m.Row(r));
        }
        return m;
    }

    /// <summary>A 1 x n matrix holding <paramref name="values"/> (copied).</summary>
    public static Matrix<T> RowVector(params T[] values) => new(1, values.Length, (T[])values.Clone());

    /// <summary>A matrix with every element equal to <paramref name="value"/>.</summary>
    public static Matrix<T> Filled(int rows, int cols, T value)
    {
        var m = new Matrix<T>(rows, cols);
        Array.Fill(m.Data, value);
        return m;
    }

    /// <summary>Converts every element to <typeparamref name="TOut"/> (float to double for gradient checks).</summary>
    public Matrix<TOut> Cast<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var m = new Matrix<TOut>(Rows, Cols);
        for (var i = 0; i < Data.Length; i++) m.Data[i] = TOut.CreateChecked(Data[i]);
        return m;
    }

    /// <summary>Rows <paramref name="start"/> .. start+count-1 as a new matrix (copied).</summary>
    public Matrix<T> SliceRows(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{start + count - 1} are outside a {Shape} matrix.");
        var m = new Matrix<T>(count, Cols);
        Data.AsSpan(start * Cols, count * Cols).CopyTo(m.Data);
        return m;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Matrix<{typeof(T).Name}> {Shape}";

    private static int Validate(int rows, int cols)
    {
        if (rows <= 0 || cols <= 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A matrix needs a positive shape; got {rows}x{cols}.");
        return rows;
    }
}
