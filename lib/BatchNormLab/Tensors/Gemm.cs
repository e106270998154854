using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BatchNormLab.Tensors;

/// <summary>
/// Matrix products: the one hot loop of training, kept fast and in this one file.
/// <see cref="GemmReference"/> defines the results; tests hold these kernels to it.
/// </summary>
public static class Gemm
{
    /// <summary>C = A·B (+ C when <paramref name="accumulate"/>). A is m x k, B is k x n, C is m x n.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Rows, a.Cols, b.Rows, b.Cols, c, "A·B");
        int m = a.Rows, k = a.Cols, n = b.Cols;
        if (!accumulate) Array.Clear(c.Data);
        // i-p-j order: the inner loop is a vectorised axpy over a row of B into a row of C.
        for (var i = 0; i < m; i++)
        {
            var cRow = c.Data.AsSpan(i * n, n);
            for (var p = 0; p < k; p++)
            {
                var aip = a.Data[i * k + p];
                if (aip == T.Zero) continue;
                Axpy(aip, b.Data.AsSpan(p * n, n), cRow);
            }
        }
    }

    /// <summary>C = A·Bᵀ (+ C). A is m x k, B is n x k, C is m x n.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Rows, a.Cols, b.Cols, b.Rows, c, "A·Bᵀ");
        int m = a.Rows, k = a.Cols, n = b.Rows;
        for (var i = 0; i < m; i++)
        {
            var aRow = a.Data.AsSpan(i * k, k);
            for (var j = 0; j < n; j++)
            {
                var dot = Dot(aRow, b.Data.AsSpan(j * k, k));
                c.Data[i * n + j] = accumulate ? c.Data[i * n + j] + dot : dot;
            }
        }
    }

    /// <summary>C = Aᵀ·B (+ C). A is k x m, B is k x n, C is m x n.</summary>
    public static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Cols, a.Rows, b.Rows, b.Cols, c, "Aᵀ·B");
        int k = a.Rows, m = a.Cols, n = b.Cols;
        if (!accumulate) Array.Clear(c.Data);
        for (var p = 0; p < k; p++)
        {
            var bRow = b.Data.AsSpan(p * n, n);
            for (var i = 0; i < m; i++)
            {
                var api = a.Data[p * m + i];
                if (api == T.Zero) continue;
                Axpy(api, bRow, c.Data.AsSpan(i * n, n));
            }
        }
    }

    internal static void CheckShapes<T>(int m, int k, int k2, int n, Matrix<T> c, string op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k != k2)
            throw new ArgumentException($"Shape mismatch in {op}: inner dimensions {k} and {k2} differ.");
        if (c.Rows != m || c.Cols != n)
            throw new ArgumentException($"Shape mismatch in {op}: result must be {m}x{n}, got {c.Shape}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var va = new Vector<T>(alpha);
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            for (var v = 0; v < xv.Length; v++) yv[v] += va * xv[v];
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        var s = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            for (var v = 0; v < xv.Length; v++) acc += xv[v] * yv[v];
            s = Vector.Sum(acc);
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
