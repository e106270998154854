using System.Numerics;

namespace BatchNormLab.Tensors;

/// <summary>
/// The plain triple loops that define what <see cref="Gemm"/> computes. Slow and obviously right:
/// the fast kernels are tested against these.
/// </summary>
public static class GemmReference
{
    /// <summary>C = A·B (+ C when <paramref name="accumulate"/>). A is m x k, B is k x n, C is m x n.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.CheckShapes(a.Rows, a.Cols, b.Rows, b.Cols, c, "A·B");
        for (var i = 0; i < a.Rows; i++)
            for (var j = 0; j < b.Cols; j++)
            {
                var s = accumulate ? c[i, j] : T.Zero;
                for (var p = 0; p < a.Cols; p++) s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
    }

    /// <summary>C = A·Bᵀ (+ C). A is m x k, B is n x k.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.CheckShapes(a.Rows, a.Cols, b.Cols, b.Rows, c, "A·Bᵀ");
        for (var i = 0; i < a.Rows; i++)
            for (var j = 0; j < b.Rows; j++)
            {
                var s = accumulate ? c[i, j] : T.Zero;
                for (var p = 0; p < a.Cols; p++) s += a[i, p] * b[j, p];
                c[i, j] = s;
            }
    }

    /// <summary>C = Aᵀ·B (+ C). A is k x m, B is k x n.</summary>
    public static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.CheckShapes(a.Cols, a.Rows, b.Rows, b.Cols, c, "Aᵀ·B");
        for (var i = 0; i < a.Cols; i++)
            for (var j = 0; j < b.Cols; j++)
            {
                var s = accumulate ? c[i, j] : T.Zero;
                for (var p = 0; p < a.Rows; p++) s += a[p, i] * b[p, j];
                c[i, j] = s;
            }
    }
}
