using System.Numerics;
using BatchNormLab.Tensors;
using Blocking = BatchNormLab.Tensors.Gemm.Blocking;
using Kernel = BatchNormLab.Tensors.Gemm.FloatKernel;

namespace BatchNormLab.Tests.Tensors;

/// <summary>
/// The fast products against <see cref="GemmReference"/>: every op, with and without accumulation,
/// float (each kernel) and double, on shapes that hit full tiles, edge tiles and the training shapes.
/// </summary>
public class GemmTests
{
    public enum Op { AB, ABt, AtB }

    private static readonly int[] EdgeSizes = [1, 7, 15, 17, 60, 256, 784];

    /// <summary>Each edge size in each of m, k, n, with the other two dimensions awkward but small, plus the network's shapes.</summary>
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var s in EdgeSizes)
        {
            data.Add(s, 19, 37);
            data.Add(13, s, 29);
            data.Add(11, 23, s);
        }
        data.Add(1, 1, 1);
        data.Add(12, 5, 32);   // exactly one AVX-512 tile
        data.Add(6, 9, 16);    // exactly one AVX2 tile
        data.Add(25, 31, 48);  // a full panel plus a narrow one
        data.Add(25, 31, 36);  // a full panel plus ≤ 4 columns done along rows, odd number of row panels
        data.Add(37, 9, 100);  // the hidden width: three panels plus 4 columns
        data.Add(60, 784, 100);  // layer 1 forward, batch 60
        data.Add(256, 100, 100); // hidden forward, batch 256
        data.Add(60, 100, 10);   // output layer
        data.Add(784, 60, 100);  // layer 1 weight gradient (as an Aᵀ·B with k = batch)
        return data;
    }

    private static Matrix<T> Random<T>(int rows, int cols, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (var i = 0; i < m.Data.Length; i++) m.Data[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return m;
    }

    private static Matrix<T> Abs<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = m.Clone();
        for (var i = 0; i < r.Data.Length; i++) r.Data[i] = T.Abs(r.Data[i]);
        return r;
    }

    /// <summary>Operands of the right shapes for <paramref name="op"/> producing an m x n result with inner size k.</summary>
    private static (Matrix<T> A, Matrix<T> B) Operands<T>(Op op, int m, int k, int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var a = op == Op.AtB ? Random<T>(k, m, rng) : Random<T>(m, k, rng);
        var b = op == Op.ABt ? Random<T>(n, k, rng) : Random<T>(k, n, rng);
        return (a, b);
    }

    private static void Fast<T>(Op op, Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate, Kernel kernel, Blocking? blocking = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.AB: Gemm.Multiply(a, b, c, accumulate, kernel, blocking); break;
            case Op.ABt: Gemm.MultiplyTransposeB(a, b, c, accumulate, kernel, blocking); break;
            default: Gemm.MultiplyTransposeA(a, b, c, accumulate, kernel, blocking); break;
        }
    }

    /// <summary>
    /// Every float path the products can take, whatever this CPU prefers: each kernel with the blocking its
    /// CPUs get, and each vector kernel also with the other choice of B (packed or in place) and blocks of
    /// k so short that every shape is split (chains continued from C, in full and edge tiles); AVX2 also
    /// with B always packed (its default reads B in place for few rows or shallow blocks).
    /// </summary>
    private static IEnumerable<(Kernel Kernel, Blocking? Blocking)> Paths() =>
    [
        (Kernel.Vector512, null),
        (Kernel.Vector512, new Blocking(Kc: 5, PackB: true)),
        (Kernel.Vector256, null),
        (Kernel.Vector256, new Blocking(Kc: 8, PackB: false)),
        (Kernel.Vector256, new Blocking(Kc: 300, PackB: true)), // B packed whatever the size of m and of the blocks
        (Kernel.Vector128, null),
        (Kernel.Vector128, new Blocking(Kc: 6, PackB: true)),
        (Kernel.Generic, null),
    ];

    private static void Reference<T>(Op op, Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.AB: GemmReference.Multiply(a, b, c, accumulate); break;
            case Op.ABt: GemmReference.MultiplyTransposeB(a, b, c, accumulate); break;
            default: GemmReference.MultiplyTransposeA(a, b, c, accumulate); break;
        }
    }

    /// <summary>
    /// Float kernels against the reference evaluated in double on the same float inputs. Any order of
    /// summation in float is within (k + 2)·u·(Σ_p |a_ip b_pj| + |c_ij|) of the exact value (u = 2⁻²⁴),
    /// so that bound holds every kernel to the reference without depending on the order chosen.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void FloatKernelsMatchReference(int m, int k, int n)
    {
        foreach (var (kernel, blocking) in Paths())
            foreach (var op in new[] { Op.AB, Op.ABt, Op.AtB })
                foreach (var accumulate in new[] { false, true })
                {
                    var (a, b) = Operands<float>(op, m, k, n, seed: m * 1000 + k * 10 + n);
                    var c0 = Random<float>(m, n, new Random(7));
                    var fast = c0.Clone();
                    Fast(op, a, b, fast, accumulate, kernel, blocking);

                    var exact = c0.Cast<double>();
                    Reference(op, a.Cast<double>(), b.Cast<double>(), exact, accumulate);
                    var magnitude = Abs(c0).Cast<double>();
                    Reference(op, Abs(a).Cast<double>(), Abs(b).Cast<double>(), magnitude, accumulate);

                    var u = Math.Pow(2, -24);
                    for (var i = 0; i < fast.Data.Length; i++)
                    {
                        var bound = (k + 2) * u * magnitude.Data[i] + 1e-30;
                        var error = Math.Abs(fast.Data[i] - exact.Data[i]);
                        Assert.True(error <= bound,
                            $"{kernel} {blocking} {op} accumulate={accumulate} {m}x{k}x{n}: element {i} = {fast.Data[i]}, exact {exact.Data[i]}, error {error:g3} > bound {bound:g3}");
                    }
                }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DoubleMatchesReference(int m, int k, int n)
    {
        foreach (var op in new[] { Op.AB, Op.ABt, Op.AtB })
            foreach (var accumulate in new[] { false, true })
            {
                var (a, b) = Operands<double>(op, m, k, n, seed: 3 + m + k + n);
                var c1 = Random<double>(m, n, new Random(1));
                var c2 = c1.Clone();
                switch (op)
                {
                    case Op.AB: Gemm.Multiply(a, b, c1, accumulate); break;
                    case Op.ABt: Gemm.MultiplyTransposeB(a, b, c1, accumulate); break;
                    default: Gemm.MultiplyTransposeA(a, b, c1, accumulate); break;
                }
                Reference(op, a, b, c2, accumulate);
                var tolerance = 2 * (k + 2) * Math.Pow(2, -53) * (k + 1); // both orders within (k+2)u(Σ|ab| + |c|), all ≤ 1
                for (var i = 0; i < c1.Data.Length; i++)
                    Assert.True(Math.Abs(c1.Data[i] - c2.Data[i]) <= tolerance,
                        $"{op} accumulate={accumulate} {m}x{k}x{n}: element {i} = {c1.Data[i]}, reference {c2.Data[i]}");
            }
    }

    /// <summary>
    /// Every element is the same chain of fused multiply-adds whichever kernel or tile computes it, so
    /// the AVX-512 and AVX2 kernels agree bit for bit, and so does a product of a slice of rows with
    /// the matching rows of the whole product (what makes a split of the output across threads safe).
    /// </summary>
    [Theory]
    [InlineData(60, 784, 100)]
    [InlineData(256, 100, 100)]
    [InlineData(37, 17, 61)]
    public void FloatResultsAreBitIdenticalAcrossKernelsAndRowSlices(int m, int k, int n)
    {
        foreach (var op in new[] { Op.AB, Op.ABt, Op.AtB })
        {
            var (a, b) = Operands<float>(op, m, k, n, seed: 11);
            var wide = new Matrix<float>(m, n);
            var narrow = new Matrix<float>(m, n);
            Fast(op, a, b, wide, false, Kernel.Vector512);
            Fast(op, a, b, narrow, false, Kernel.Vector256);
            Assert.Equal(wide.Data, narrow.Data);

            var again = new Matrix<float>(m, n);
            Fast(op, a, b, again, false, Kernel.Vector512);
            Assert.Equal(wide.Data, again.Data);

            if (op == Op.AtB) continue; // rows of C are columns of A there
            int start = m / 3, count = Math.Max(1, m / 2);
            var part = new Matrix<float>(count, n);
            Fast(op, a.SliceRows(start, count), b, part, false, Kernel.Vector512);
            Assert.Equal(wide.Data.AsSpan(start * n, count * n).ToArray(), part.Data);
        }
    }

    /// <summary>
    /// Blocking the sum over k stores each chain in C and continues it from there, which changes no bit:
    /// any block length, B packed or in place, with or without accumulation, gives the unblocked result.
    /// </summary>
    [Theory]
    [InlineData(60, 784, 100)]
    [InlineData(13, 37, 36)]  // edge tiles and ≤ 4 columns done along rows, in every block
    [InlineData(8, 300, 40)]  // at most two row tiles: B read in place even when packing is asked for
    public void BlockingTheSumOverKChangesNoBit(int m, int k, int n)
    {
        foreach (var kernel in new[] { Kernel.Vector512, Kernel.Vector256, Kernel.Vector128 })
            foreach (var op in new[] { Op.AB, Op.ABt, Op.AtB })
                foreach (var accumulate in new[] { false, true })
                {
                    var (a, b) = Operands<float>(op, m, k, n, seed: 17);
                    var c0 = Random<float>(m, n, new Random(3));
                    var whole = c0.Clone();
                    Fast(op, a, b, whole, accumulate, kernel, new Blocking(int.MaxValue, PackB: false));
                    foreach (var blocking in new[] { new Blocking(1, true), new Blocking(7, false), new Blocking(100, true), new Blocking(int.MaxValue, true) })
                    {
                        var blocked = c0.Clone();
                        Fast(op, a, b, blocked, accumulate, kernel, blocking);
                        Assert.True(whole.Data.AsSpan().SequenceEqual(blocked.Data), $"{kernel} {blocking} {op} accumulate={accumulate} {m}x{k}x{n}");
                    }
                }
    }

    [Fact]
    public void AccumulateAddsToTheExistingValues()
    {
        var (a, b) = Operands<float>(Op.AB, 13, 9, 40, seed: 5);
        var product = new Matrix<float>(13, 40);
        Gemm.Multiply(a, b, product);
        var c = Matrix<float>.Filled(13, 40, 100f);
        Gemm.Multiply(a, b, c, accumulate: true);
        for (var i = 0; i < c.Data.Length; i++) Assert.Equal(100f + product.Data[i], c.Data[i]);
    }

    [Fact]
    public void ShapeMismatchNamesTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix<float>(2, 3), new Matrix<float>(4, 5), new Matrix<float>(2, 5)));
        Assert.Contains("3 and 4", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposeA(new Matrix<float>(4, 2), new Matrix<float>(4, 5), new Matrix<float>(3, 5)));
        Assert.Contains("2x5", ex.Message);
        Assert.Contains("3x5", ex.Message);
    }
}
