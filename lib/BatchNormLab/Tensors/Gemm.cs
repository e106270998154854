using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BatchNormLab.Tensors;

/// <summary>
/// Matrix products: the one hot loop of training, kept fast and in this one file.
/// <see cref="GemmReference"/> defines the results; tests hold these kernels to it.
/// </summary>
/// <remarks>
/// <para>
/// float runs a packed, register-blocked kernel (the classic GotoBLAS/BLIS layout): C is cut into
/// tiles of mr rows x nr columns that live in vector registers for the whole sum over k. Each step
/// of that sum broadcasts one value of A per row and does one fused multiply-add per register, so
/// the loop is bound by the FMA units, not by memory. A is packed so that the mr values needed at
/// each step are adjacent (row-major A is transposed through registers, 8 x 8 at a time).
/// AVX-512 machines use 12 x 32 tiles of <see cref="Vector512{T}"/> (24 of the 32 registers); AVX2 +
/// FMA machines 6 x 16 tiles of <see cref="Vector256{T}"/> (12 of 16). A last panel of at most 4
/// columns (the network's width 100 = 3·32 + 4) turns the tile around: vectors run along the rows
/// and the 4 columns are broadcast, so no lanes are wasted on padding.
/// </para>
/// <para>
/// Cache blocking is chosen per CPU at start-up (<see cref="Blocking"/>): on AVX2 the sum over k runs in
/// blocks of at most 256 steps and B is copied into contiguous panels, so a panel (16 KB) stays in L1
/// while A streams past it (except for few rows of C or shallow blocks, where B read in place fits L1
/// and the copy would cost more than it saves); on AVX-512 (tuned on AMD Zen 5) there is one block and B
/// is read in place when its rows are contiguous (only a last, partial panel is copied, padded with zeros).
/// </para>
/// <para>
/// Determinism: every element of C is one chain of fused multiply-adds in a fixed order
/// (p = 0, 1, ..., k−1), whichever kernel, tile or blocking computes it (a block of k stores its
/// partial sums in C and the next continues from them, which rounds nothing), so a seed gives
/// bit-identical results, the AVX-512 and AVX2 kernels give the same bits, and any split of C's rows
/// or columns (across threads, say) gives the same bits. The order differs
/// from <see cref="GemmReference"/>'s plain loop only by rounding.
/// </para>
/// <para>
/// Without AVX2 (WebAssembly in a browser, where only 128-bit SIMD is accelerated) a 128-bit kernel runs the
/// AVX2 layout at half the width (6 x 8 tiles, a last panel of 4 columns) with a multiply and an add per
/// step instead of an FMA: deterministic in the same way, its bits differ from the FMA kernels' by rounding.
/// </para>
/// <para>double (gradient checks) takes a plain vectorised path: clarity over speed.</para>
/// </remarks>
public static class Gemm
{
    /// <summary>C = A·B (+ C when <paramref name="accumulate"/>). A is m x k, B is k x n, C is m x n.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(a, b, c, accumulate, DefaultKernel);

    /// <summary>C = A·Bᵀ (+ C). A is m x k, B is n x k, C is m x n.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyTransposeB(a, b, c, accumulate, DefaultKernel);

    /// <summary>C = Aᵀ·B (+ C). A is k x m, B is k x n, C is m x n.</summary>
    public static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyTransposeA(a, b, c, accumulate, DefaultKernel);

    internal static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate, FloatKernel kernel, Blocking? blocking = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Rows, a.Cols, b.Rows, b.Cols, c, "A·B");
        int m = a.Rows, k = a.Cols, n = b.Cols;
        if (typeof(T) == typeof(float) && kernel != FloatKernel.Generic)
        {
            // op(A)[i,p] = a[i*k + p]; op(B)[p,j] = b[p*n + j].
            Sgemm(m, n, k, AsFloat(a), k, 1, AsFloat(b), n, 1, AsFloat(c), accumulate, kernel, blocking ?? Blocking.For(kernel));
            return;
        }
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

    internal static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate, FloatKernel kernel, Blocking? blocking = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Rows, a.Cols, b.Cols, b.Rows, c, "A·Bᵀ");
        int m = a.Rows, k = a.Cols, n = b.Rows;
        if (typeof(T) == typeof(float) && kernel != FloatKernel.Generic)
        {
            // op(B)[p,j] = b[j*k + p]: B's columns are strided, so it gets packed.
            Sgemm(m, n, k, AsFloat(a), k, 1, AsFloat(b), 1, k, AsFloat(c), accumulate, kernel, blocking ?? Blocking.For(kernel));
            return;
        }
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

    internal static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate, FloatKernel kernel, Blocking? blocking = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(a.Cols, a.Rows, b.Rows, b.Cols, c, "Aᵀ·B");
        int k = a.Rows, m = a.Cols, n = b.Cols;
        if (typeof(T) == typeof(float) && kernel != FloatKernel.Generic)
        {
            // op(A)[i,p] = a[p*m + i]: packing A copies mr adjacent values per step.
            Sgemm(m, n, k, AsFloat(a), 1, m, AsFloat(b), n, 1, AsFloat(c), accumulate, kernel, blocking ?? Blocking.For(kernel));
            return;
        }
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

    /// <summary>The float kernel the public products use: the widest the CPU accelerates.</summary>
    internal static readonly FloatKernel DefaultKernel =
        Vector512.IsHardwareAccelerated ? FloatKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? FloatKernel.Vector256
        : Vector128.IsHardwareAccelerated ? FloatKernel.Vector128
        : FloatKernel.Generic;

    /// <summary>Which float kernel this machine runs, e.g. "Vector512 (12x32 tiles)": for benchmarks and notebooks.</summary>
    public static string FloatKernelDescription => DefaultKernel switch
    {
        FloatKernel.Vector512 => "Vector512 (12x32 tiles, B in place)",
        FloatKernel.Vector256 => "Vector256 (6x16 tiles, k in blocks of 256, B packed when m > 64 and blocks > 128)",
        FloatKernel.Vector128 => "Vector128 (6x8 tiles, multiply then add; WebAssembly SIMD)",
        _ => "generic (no SIMD)",
    };

    /// <summary>The float kernels (tests run each one, whatever the CPU prefers).</summary>
    internal enum FloatKernel
    {
        Generic,
        Vector256,
        Vector512,

        /// <summary>
        /// 128-bit vectors: what WebAssembly SIMD accelerates (the browser lab), where neither wider vectors nor
        /// <see cref="System.Numerics.Vector{T}"/> are. A multiply then an add (WebAssembly has no fused
        /// multiply-add), so its bits differ from the FMA kernels' by rounding.
        /// </summary>
        Vector128,
    }

    /// <summary>
    /// Cache blocking of a float kernel: the sum over k runs in blocks of at most <see cref="Kc"/> steps (each
    /// block's chains continue from the values the previous block stored, so the bits never depend on it),
    /// and <see cref="PackB"/> says whether B is copied into contiguous panels or read in place when its rows
    /// are contiguous. With packing on, B is still read in place when C has at most <see cref="InPlaceRows"/>
    /// rows (few row tiles reuse each panel: the copy costs more than it saves) or the blocks of k have at
    /// most <see cref="InPlaceDepth"/> steps (a panel read in place then stays in L1 by itself). Chosen once
    /// per kernel (so per machine); tests force other choices.
    /// </summary>
    internal readonly record struct Blocking(int Kc, bool PackB, int InPlaceRows = 0, int InPlaceDepth = 0)
    {
        /// <summary>
        /// AVX2 (measured on AMD Zen 3): blocks of ≤ 256 steps keep a packed 16-column panel of B (16 KB)
        /// in a 32 KB L1 while the 6-row panels of A stream past it; read in place, a panel of B spans
        /// hundreds of rows at the stride of B (two cache lines per row) and is re-read from L2 by every
        /// row tile. Read in place is 3 to 6 % faster at batch 60 (m = 60; or blocks of k = 60 to 100 rows,
        /// ≤ 12.5 KB per panel), so packing is kept for many rows and deep blocks only.
        /// AVX-512: unchanged from where it was tuned (AMD Zen 5): one block, B in place.
        /// </summary>
        public static Blocking For(FloatKernel kernel) => kernel switch
        {
            FloatKernel.Vector256 => new(256, PackB: true, InPlaceRows: 64, InPlaceDepth: 128),
            _ => new(int.MaxValue, PackB: false),
        };
    }

    /// <summary>How a kernel starts and ends each chain: from zero and stored, from zero and added to C
    /// (accumulate), or continued from the value in C (a later block of k) and stored.</summary>
    private enum Start
    {
        Zero,
        AddC,
        FromC,
    }

    private static float[] AsFloat<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> => (float[])(object)m.Data;

    // ---- float: packed, register-blocked kernels -------------------------------------------------

    /// <summary>Scratch for packed panels, per thread so concurrent products never share it.</summary>
    [ThreadStatic] private static float[]? s_packA;
    [ThreadStatic] private static float[]? s_packB;
    [ThreadStatic] private static float[]? s_product;

    private static float[] Scratch(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new float[Math.Max(length, 4096)];
        return buffer;
    }

    /// <summary>
    /// C (m x n, row-major) = op(A)·op(B) (+ C), where op(A)[i,p] = a[i*aRow + p*aCol] and
    /// op(B)[p,j] = b[p*bRow + j*bCol]: the three public products are stride choices.
    /// </summary>
    private static unsafe void Sgemm(
        int m, int n, int k, float[] a, int aRow, int aCol, float[] b, int bRow, int bCol, float[] c, bool accumulate,
        FloatKernel kernel, Blocking blocking)
    {
        var blocks = k <= blocking.Kc ? 1 : (k + blocking.Kc - 1) / blocking.Kc;
        if (accumulate && blocks > 1)
        {
            // C + (the whole chain over k): the chain runs into scratch first, so blocking never changes the bits.
            var product = Scratch(ref s_product, m * n);
            Sgemm(m, n, k, a, aRow, aCol, b, bRow, bCol, product, false, kernel, blocking);
            VectorMath.Add<float>(product.AsSpan(0, m * n), c.AsSpan(0, m * n));
            return;
        }
        var kc = (k + blocks - 1) / blocks; // equal blocks: 784 = 4 x 196 rather than 3 x 256 + 16
        var wide = kernel == FloatKernel.Vector512;
        var narrow = kernel == FloatKernel.Vector128;
        int mr = wide ? 12 : 6, nr = wide ? 32 : narrow ? 8 : 16, half = nr / 2;
        var aPanels = (m + mr - 1) / mr;
        // +16: the column-edge kernel loads a whole vector at each step of a panel, a few values past its end.
        var packA = Scratch(ref s_packA, aPanels * mr * kc + 16);

        // B panels of nr columns; a last panel of at most nr/2 columns uses the one-vector kernel.
        var fullPanels = n / nr;
        var rest = n - fullPanels * nr;
        if (rest > half)
        {
            fullPanels++;
            rest = 0;
        }
        // A last panel of at most 4 columns (n = 100 = 3·32 + 4) runs with vectors along the rows instead:
        // 4 broadcasts of B per step rather than 12 one-vector FMAs that are three-quarters padding.
        // (The 128-bit kernel's one-vector panel is 4 columns wide already.)
        var columnEdge = !narrow && rest is > 0 and <= 4;
        // Few row tiles reuse each panel of B, or a shallow panel stays in L1 in place: copying it would cost more than it saves.
        var bInPlace = bCol == 1 && (!blocking.PackB || m <= Math.Max(2 * mr, blocking.InPlaceRows) || kc <= blocking.InPlaceDepth);
        var packedPanels = bInPlace ? (n % nr > half ? 1 : 0) : fullPanels;
        var packB = Scratch(ref s_packB, (packedPanels * nr + (rest > 0 ? half : 0)) * kc);

        var tile = stackalloc float[12 * 32];
        fixed (float* pa = packA, pb = packB, bp = b, cp = c)
        {
            for (var p0 = 0; p0 < k; p0 += kc)
            {
                var kb = Math.Min(kc, k - p0);
                // Later blocks continue the chains from the values the earlier ones stored in C.
                var start = p0 > 0 ? Start.FromC : accumulate ? Start.AddC : Start.Zero;
                PackA(a, p0 * aCol, aRow, aCol, m, kb, mr, packA);
                var packedOffset = 0;
                for (var jp = 0; jp < fullPanels; jp++)
                {
                    var j0 = jp * nr;
                    var cols = Math.Min(nr, n - j0);
                    float* panel;
                    int ldb;
                    if (bInPlace && cols == nr)
                    {
                        panel = bp + (long)p0 * bRow + j0;
                        ldb = bRow;
                    }
                    else
                    {
                        panel = pb + packedOffset;
                        PackB(b, p0 * bRow, bRow, bCol, kb, j0, cols, nr, packB, packedOffset);
                        packedOffset += nr * kb;
                        ldb = nr;
                    }
                    RunPanel(m, n, kb, mr, nr, kernel, twoVectors: true, pa, panel, ldb, cp + j0, cols, start, tile);
                }
                if (columnEdge)
                {
                    var j0 = fullPanels * nr;
                    PackB(b, p0 * bRow, bRow, bCol, kb, j0, rest, 4, packB, packedOffset);
                    RunColumnEdge(m, n, kb, mr, wide, pa, pb + packedOffset, cp + j0, rest, start, tile);
                }
                else if (rest > 0)
                {
                    var j0 = fullPanels * nr;
                    PackB(b, p0 * bRow, bRow, bCol, kb, j0, rest, half, packB, packedOffset);
                    RunPanel(m, n, kb, mr, half, kernel, twoVectors: false, pa, pb + packedOffset, half, cp + j0, rest, start, tile);
                }
            }
        }
    }

    /// <summary>All row tiles of one column panel of C.</summary>
    private static unsafe void RunPanel(
        int m, int ldc, int k, int mr, int width, FloatKernel kernel, bool twoVectors,
        float* packA, float* panel, int ldb, float* c, int cols, Start start, float* tile)
    {
        for (var i0 = 0; i0 < m; i0 += mr)
        {
            var rows = Math.Min(mr, m - i0);
            var a = packA + (long)i0 * k;
            var direct = rows == mr && cols == width;
            // Edge tiles are computed in a scratch tile and the valid part copied out, so every element is
            // the same chain wherever its tile falls.
            var dst = direct ? c + (long)i0 * ldc : tile;
            var ld = direct ? ldc : width;
            if (!direct && start == Start.FromC)
            {
                for (var r = 0; r < rows; r++)
                    new ReadOnlySpan<float>(c + (long)(i0 + r) * ldc, cols).CopyTo(new Span<float>(tile + r * width, cols));
            }
            var mode = direct || start == Start.FromC ? start : Start.Zero;
            switch (kernel)
            {
                case FloatKernel.Vector512 when twoVectors: Kernel12x32(k, a, panel, ldb, dst, ld, mode); break;
                case FloatKernel.Vector512: Kernel12x16(k, a, panel, ldb, dst, ld, mode); break;
                case FloatKernel.Vector256 when twoVectors: Kernel6x16(k, a, panel, ldb, dst, ld, mode); break;
                case FloatKernel.Vector256: Kernel6x8(k, a, panel, ldb, dst, ld, mode); break;
                case FloatKernel.Vector128 when twoVectors: Kernel128x6x8(k, a, panel, ldb, dst, ld, mode); break;
                default: Kernel128x6x4(k, a, panel, ldb, dst, ld, mode); break;
            }
            if (direct) continue;
            for (var r = 0; r < rows; r++)
            {
                var src = tile + r * width;
                var row = c + (long)(i0 + r) * ldc;
                if (start == Start.AddC)
                    for (var j = 0; j < cols; j++) row[j] += src[j];
                else
                    for (var j = 0; j < cols; j++) row[j] = src[j];
            }
        }
    }

    /// <summary>
    /// The last (≤ 4) columns of C, two row panels at a time: vectors hold one panel's mr rows, so each
    /// step is 4 broadcasts of B and 8 FMAs. Every element is still the same FMA chain over p.
    /// </summary>
    private static unsafe void RunColumnEdge(
        int m, int ldc, int k, int mr, bool wide, float* packA, float* b, float* c, int cols, Start start, float* tile)
    {
        // The tile holds column q of the 2·mr rows at tile[q*stride + r].
        var stride = wide ? 32 : 16;
        for (var i0 = 0; i0 < m; i0 += 2 * mr)
        {
            var rows = Math.Min(2 * mr, m - i0);
            var a0 = packA + (long)i0 * k;
            var a1 = rows > mr ? a0 + (long)mr * k : null;
            var fromC = start == Start.FromC;
            if (fromC)
            {
                for (var r = 0; r < rows; r++)
                {
                    var row = c + (long)(i0 + r) * ldc;
                    for (var q = 0; q < cols; q++) tile[q * stride + r] = row[q];
                }
            }
            if (wide) KernelColumns12(k, a0, a1, b, tile, fromC);
            else KernelColumns6(k, a0, a1, b, tile, fromC);
            for (var r = 0; r < rows; r++)
            {
                var row = c + (long)(i0 + r) * ldc;
                for (var q = 0; q < cols; q++)
                    row[q] = start == Start.AddC ? row[q] + tile[q * stride + r] : tile[q * stride + r];
            }
        }
    }

    /// <summary>
    /// Packs op(A) into panels of mr rows: panel[p*mr + r] = op(A)[i0 + r, p], zero past row m, where
    /// op(A)[i,p] = a[offset + i*aRow + p*aCol] (the offset selects a block of k).
    /// </summary>
    private static void PackA(float[] a, int offset, int aRow, int aCol, int m, int k, int mr, float[] dst)
    {
        for (var i0 = 0; i0 < m; i0 += mr)
        {
            var rows = Math.Min(mr, m - i0);
            var panel = dst.AsSpan(i0 * k, mr * k);
            if (rows < mr) panel.Clear();
            if (aRow == 1)
            {
                // Column-major op(A) (the Aᵀ product): the values of one step are adjacent.
                if (rows == mr) CopyRows(a, offset + i0, aCol, k, mr, panel);
                else
                    for (var p = 0; p < k; p++)
                        a.AsSpan(offset + p * aCol + i0, rows).CopyTo(panel.Slice(p * mr, rows));
            }
            else if (aCol == 1)
            {
                // Row-major op(A) (A·B, A·Bᵀ): a transpose of the panel's rows.
                Transpose(a, offset + i0 * aRow, aRow, rows, k, panel, mr);
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    var src = a.AsSpan(offset + (i0 + r) * aRow, (k - 1) * aCol + 1);
                    for (var p = 0; p < k; p++) panel[p * mr + r] = src[p * aCol];
                }
            }
        }
    }

    /// <summary>dst[p*width + r] = src[offset + p*ld + r] for r &lt; width (12 or 6): two vector copies per step.</summary>
    private static unsafe void CopyRows(float[] src, int offset, int ld, int k, int width, Span<float> dst)
    {
        fixed (float* s0 = &src[offset], d0 = dst)
        {
            if (width == 12)
            {
                for (var p = 0; p < k; p++)
                {
                    var s = s0 + (long)p * ld;
                    var d = d0 + p * 12;
                    Vector256.Load(s).Store(d);
                    Vector128.Load(s + 8).Store(d + 8);
                }
                return;
            }
            for (var p = 0; p < k; p++)
            {
                var s = s0 + (long)p * ld;
                Vector128.Load(s).Store(d0 + p * 6);
                Unsafe.WriteUnaligned(d0 + p * 6 + 4, Unsafe.ReadUnaligned<ulong>(s + 4));
            }
        }
    }

    /// <summary>
    /// dst[p*dstStride + r] = src[offset + r*ld + p] for r &lt; rows, p &lt; k: rows become columns. Blocks of
    /// 8 x 8 and 4 x 8 go through registers (AVX unpack/shuffle/permute), the rest element by element.
    /// </summary>
    private static unsafe void Transpose(float[] src, int offset, int ld, int rows, int k, Span<float> dst, int dstStride)
    {
        fixed (float* s0 = &src[offset], d0 = dst)
        {
            var r = 0;
            if (Avx.IsSupported && rows == 6 && dstStride == 6)
            {
                // Only PackA's 6-row panels have this stride; they are followed by more panels or slack.
                Transpose6(s0, ld, k, d0);
                return;
            }
            if (Avx.IsSupported)
            {
                for (; r + 8 <= rows; r += 8) Transpose8(s0 + (long)r * ld, ld, k, d0 + r, dstStride);
                for (; r + 4 <= rows; r += 4) Transpose4(s0 + (long)r * ld, ld, k, d0 + r, dstStride);
            }
            for (; r < rows; r++)
            {
                var row = s0 + (long)r * ld;
                for (var p = 0; p < k; p++) d0[(long)p * dstStride + r] = row[p];
            }
        }
    }

    /// <summary>
    /// d[p*6 + r] = s[r*ld + p] for r &lt; 6: the 8 x 8 register transpose with row 5 repeated as rows 6 and 7.
    /// Each column is stored 8 wide; the 2 extra values land in the next column's slots, which the next
    /// store overwrites (after the last column, in the 2 slots that follow: the caller's next panel or slack).
    /// </summary>
    private static unsafe void Transpose6(float* s, int ld, int k, float* d)
    {
        var p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var r0 = Avx.LoadVector256(s + p);
            var r1 = Avx.LoadVector256(s + ld + p);
            var r2 = Avx.LoadVector256(s + 2 * ld + p);
            var r3 = Avx.LoadVector256(s + 3 * ld + p);
            var r4 = Avx.LoadVector256(s + 4 * ld + p);
            var r5 = Avx.LoadVector256(s + 5 * ld + p);
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t4, 0x44);
            var u5 = Avx.Shuffle(t4, t4, 0xEE);
            var u6 = Avx.Shuffle(t5, t5, 0x44);
            var u7 = Avx.Shuffle(t5, t5, 0xEE);
            var dp = d + (long)p * 6;
            Avx.Store(dp, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(dp + 6, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(dp + 12, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(dp + 18, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(dp + 24, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(dp + 30, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(dp + 36, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(dp + 42, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < k; p++)
            for (var r = 0; r < 6; r++) d[(long)p * 6 + r] = s[(long)r * ld + p];
    }

    private static unsafe void Transpose8(float* s, int ld, int k, float* d, int ds)
    {
        var p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var t0 = Avx.UnpackLow(Avx.LoadVector256(s + p), Avx.LoadVector256(s + ld + p));
            var t1 = Avx.UnpackHigh(Avx.LoadVector256(s + p), Avx.LoadVector256(s + ld + p));
            var t2 = Avx.UnpackLow(Avx.LoadVector256(s + 2 * ld + p), Avx.LoadVector256(s + 3 * ld + p));
            var t3 = Avx.UnpackHigh(Avx.LoadVector256(s + 2 * ld + p), Avx.LoadVector256(s + 3 * ld + p));
            var t4 = Avx.UnpackLow(Avx.LoadVector256(s + 4 * ld + p), Avx.LoadVector256(s + 5 * ld + p));
            var t5 = Avx.UnpackHigh(Avx.LoadVector256(s + 4 * ld + p), Avx.LoadVector256(s + 5 * ld + p));
            var t6 = Avx.UnpackLow(Avx.LoadVector256(s + 6 * ld + p), Avx.LoadVector256(s + 7 * ld + p));
            var t7 = Avx.UnpackHigh(Avx.LoadVector256(s + 6 * ld + p), Avx.LoadVector256(s + 7 * ld + p));
            // Per 128-bit lane: u0 = [x0 x1 x2 x3] of column p (rows 0..3) in the low lane, column p+4 in the high lane.
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);
            var dp = d + (long)p * ds;
            Avx.Store(dp, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(dp + ds, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(dp + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(dp + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(dp + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(dp + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(dp + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(dp + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < k; p++)
            for (var r = 0; r < 8; r++) d[(long)p * ds + r] = s[(long)r * ld + p];
    }

    private static unsafe void Transpose4(float* s, int ld, int k, float* d, int ds)
    {
        var p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var v0 = Avx.UnpackLow(Avx.LoadVector256(s + p), Avx.LoadVector256(s + ld + p));
            var v1 = Avx.UnpackHigh(Avx.LoadVector256(s + p), Avx.LoadVector256(s + ld + p));
            var v2 = Avx.UnpackLow(Avx.LoadVector256(s + 2 * ld + p), Avx.LoadVector256(s + 3 * ld + p));
            var v3 = Avx.UnpackHigh(Avx.LoadVector256(s + 2 * ld + p), Avx.LoadVector256(s + 3 * ld + p));
            var w0 = Avx.Shuffle(v0, v2, 0x44); // column p (low lane), p+4 (high lane)
            var w1 = Avx.Shuffle(v0, v2, 0xEE);
            var w2 = Avx.Shuffle(v1, v3, 0x44);
            var w3 = Avx.Shuffle(v1, v3, 0xEE);
            var dp = d + (long)p * ds;
            w0.GetLower().Store(dp); w0.GetUpper().Store(dp + 4 * ds);
            w1.GetLower().Store(dp + ds); w1.GetUpper().Store(dp + 5 * ds);
            w2.GetLower().Store(dp + 2 * ds); w2.GetUpper().Store(dp + 6 * ds);
            w3.GetLower().Store(dp + 3 * ds); w3.GetUpper().Store(dp + 7 * ds);
        }
        for (; p < k; p++)
            for (var r = 0; r < 4; r++) d[(long)p * ds + r] = s[(long)r * ld + p];
    }

    /// <summary>
    /// Packs columns j0..j0+cols−1 of op(B) into dst[at + p*width + j], zero-padded to width, where
    /// op(B)[p,j] = b[offset + p*bRow + j*bCol] (the offset selects a block of k).
    /// </summary>
    private static unsafe void PackB(float[] b, int offset, int bRow, int bCol, int k, int j0, int cols, int width, float[] dst, int at)
    {
        var panel = dst.AsSpan(at, width * k);
        if (cols < width) panel.Clear();
        if (bCol == 1)
        {
            if (cols == 16 && width == 16)
            {
                fixed (float* s0 = &b[offset + j0], d0 = panel)
                {
                    for (var p = 0; p < k; p++)
                    {
                        var s = s0 + (long)p * bRow;
                        Vector256.Load(s).Store(d0 + p * 16);
                        Vector256.Load(s + 8).Store(d0 + p * 16 + 8);
                    }
                }
                return;
            }
            for (var p = 0; p < k; p++)
                b.AsSpan(offset + p * bRow + j0, cols).CopyTo(panel.Slice(p * width, cols));
        }
        else if (bRow == 1)
        {
            // op(B) = Bᵀ of a row-major B (the A·Bᵀ product): a transpose of B's rows j0.. .
            Transpose(b, offset + j0 * bCol, bCol, cols, k, panel, width);
        }
        else
        {
            for (var j = 0; j < cols; j++)
            {
                var src = b.AsSpan(offset + (j0 + j) * bCol, (k - 1) * bRow + 1);
                for (var p = 0; p < k; p++) panel[p * width + j] = src[p * bRow];
            }
        }
    }

    // The kernels: one register per (row, vector) of the tile, summed over k with one FMA each.
    // Written out by hand because the JIT keeps locals, not arrays, in registers.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel12x32(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector512<float> c00 = Vector512From(c, f), c01 = Vector512From(c + 16, f), c10 = Vector512From(c + 1 * ldc, f), c11 = Vector512From(c + 1 * ldc + 16, f),
            c20 = Vector512From(c + 2 * ldc, f), c21 = Vector512From(c + 2 * ldc + 16, f), c30 = Vector512From(c + 3 * ldc, f), c31 = Vector512From(c + 3 * ldc + 16, f),
            c40 = Vector512From(c + 4 * ldc, f), c41 = Vector512From(c + 4 * ldc + 16, f), c50 = Vector512From(c + 5 * ldc, f), c51 = Vector512From(c + 5 * ldc + 16, f),
            c60 = Vector512From(c + 6 * ldc, f), c61 = Vector512From(c + 6 * ldc + 16, f), c70 = Vector512From(c + 7 * ldc, f), c71 = Vector512From(c + 7 * ldc + 16, f),
            c80 = Vector512From(c + 8 * ldc, f), c81 = Vector512From(c + 8 * ldc + 16, f), c90 = Vector512From(c + 9 * ldc, f), c91 = Vector512From(c + 9 * ldc + 16, f),
            ca0 = Vector512From(c + 10 * ldc, f), ca1 = Vector512From(c + 10 * ldc + 16, f), cb0 = Vector512From(c + 11 * ldc, f), cb1 = Vector512From(c + 11 * ldc + 16, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
            a += 12;
            b += ldb;
        }
        Store2(c, 0 * ldc, c00, c01, mode == Start.AddC); Store2(c, 1 * ldc, c10, c11, mode == Start.AddC);
        Store2(c, 2 * ldc, c20, c21, mode == Start.AddC); Store2(c, 3 * ldc, c30, c31, mode == Start.AddC);
        Store2(c, 4 * ldc, c40, c41, mode == Start.AddC); Store2(c, 5 * ldc, c50, c51, mode == Start.AddC);
        Store2(c, 6 * ldc, c60, c61, mode == Start.AddC); Store2(c, 7 * ldc, c70, c71, mode == Start.AddC);
        Store2(c, 8 * ldc, c80, c81, mode == Start.AddC); Store2(c, 9 * ldc, c90, c91, mode == Start.AddC);
        Store2(c, 10 * ldc, ca0, ca1, mode == Start.AddC); Store2(c, 11 * ldc, cb0, cb1, mode == Start.AddC);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel12x16(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector512<float> c0 = Vector512From(c, f), c1 = Vector512From(c + 1 * ldc, f), c2 = Vector512From(c + 2 * ldc, f), c3 = Vector512From(c + 3 * ldc, f),
            c4 = Vector512From(c + 4 * ldc, f), c5 = Vector512From(c + 5 * ldc, f), c6 = Vector512From(c + 6 * ldc, f), c7 = Vector512From(c + 7 * ldc, f),
            c8 = Vector512From(c + 8 * ldc, f), c9 = Vector512From(c + 9 * ldc, f), ca = Vector512From(c + 10 * ldc, f), cb = Vector512From(c + 11 * ldc, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), b0, c9);
            ca = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), b0, ca);
            cb = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), b0, cb);
            a += 12;
            b += ldb;
        }
        Store1(c, 0 * ldc, c0, mode == Start.AddC); Store1(c, 1 * ldc, c1, mode == Start.AddC); Store1(c, 2 * ldc, c2, mode == Start.AddC);
        Store1(c, 3 * ldc, c3, mode == Start.AddC); Store1(c, 4 * ldc, c4, mode == Start.AddC); Store1(c, 5 * ldc, c5, mode == Start.AddC);
        Store1(c, 6 * ldc, c6, mode == Start.AddC); Store1(c, 7 * ldc, c7, mode == Start.AddC); Store1(c, 8 * ldc, c8, mode == Start.AddC);
        Store1(c, 9 * ldc, c9, mode == Start.AddC); Store1(c, 10 * ldc, ca, mode == Start.AddC); Store1(c, 11 * ldc, cb, mode == Start.AddC);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x16(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector256<float> c00 = Vector256From(c, f), c01 = Vector256From(c + 8, f), c10 = Vector256From(c + 1 * ldc, f), c11 = Vector256From(c + 1 * ldc + 8, f),
            c20 = Vector256From(c + 2 * ldc, f), c21 = Vector256From(c + 2 * ldc + 8, f), c30 = Vector256From(c + 3 * ldc, f), c31 = Vector256From(c + 3 * ldc + 8, f),
            c40 = Vector256From(c + 4 * ldc, f), c41 = Vector256From(c + 4 * ldc + 8, f), c50 = Vector256From(c + 5 * ldc, f), c51 = Vector256From(c + 5 * ldc + 8, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            Vector256<float> x;
            x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += ldb;
        }
        Store2(c, 0 * ldc, c00, c01, mode == Start.AddC); Store2(c, 1 * ldc, c10, c11, mode == Start.AddC);
        Store2(c, 2 * ldc, c20, c21, mode == Start.AddC); Store2(c, 3 * ldc, c30, c31, mode == Start.AddC);
        Store2(c, 4 * ldc, c40, c41, mode == Start.AddC); Store2(c, 5 * ldc, c50, c51, mode == Start.AddC);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x8(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector256<float> c0 = Vector256From(c, f), c1 = Vector256From(c + 1 * ldc, f), c2 = Vector256From(c + 2 * ldc, f), c3 = Vector256From(c + 3 * ldc, f),
            c4 = Vector256From(c + 4 * ldc, f), c5 = Vector256From(c + 5 * ldc, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[1]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[2]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[3]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[4]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[5]), b0, c5);
            a += 6;
            b += ldb;
        }
        Store1(c, 0 * ldc, c0, mode == Start.AddC); Store1(c, 1 * ldc, c1, mode == Start.AddC); Store1(c, 2 * ldc, c2, mode == Start.AddC);
        Store1(c, 3 * ldc, c3, mode == Start.AddC); Store1(c, 4 * ldc, c4, mode == Start.AddC); Store1(c, 5 * ldc, c5, mode == Start.AddC);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelColumns12(int k, float* a0, float* a1, float* b, float* tile, bool fromC)
    {
        // Lanes 12..15 of each load belong to the next step; they only feed lanes that are overwritten or ignored.
        // Chains continued from C start from the tile, which the caller filled in this layout.
        Vector512<float> c0 = Vector512From(tile, fromC), c1 = Vector512From(tile + 32, fromC), c2 = Vector512From(tile + 64, fromC), c3 = Vector512From(tile + 96, fromC),
            d0 = Vector512From(tile + 12, fromC), d1 = Vector512From(tile + 44, fromC), d2 = Vector512From(tile + 76, fromC), d3 = Vector512From(tile + 108, fromC);
        if (a1 is null)
        {
            for (var p = 0; p < k; p++)
            {
                var x = Vector512.Load(a0);
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.Create(b[0]), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.Create(b[1]), c1);
                c2 = Vector512.FusedMultiplyAdd(x, Vector512.Create(b[2]), c2);
                c3 = Vector512.FusedMultiplyAdd(x, Vector512.Create(b[3]), c3);
                a0 += 12;
                b += 4;
            }
        }
        else
        {
            for (var p = 0; p < k; p++)
            {
                var x = Vector512.Load(a0);
                var y = Vector512.Load(a1);
                var b0 = Vector512.Create(b[0]);
                var b1 = Vector512.Create(b[1]);
                var b2 = Vector512.Create(b[2]);
                var b3 = Vector512.Create(b[3]);
                c0 = Vector512.FusedMultiplyAdd(x, b0, c0); d0 = Vector512.FusedMultiplyAdd(y, b0, d0);
                c1 = Vector512.FusedMultiplyAdd(x, b1, c1); d1 = Vector512.FusedMultiplyAdd(y, b1, d1);
                c2 = Vector512.FusedMultiplyAdd(x, b2, c2); d2 = Vector512.FusedMultiplyAdd(y, b2, d2);
                c3 = Vector512.FusedMultiplyAdd(x, b3, c3); d3 = Vector512.FusedMultiplyAdd(y, b3, d3);
                a0 += 12;
                a1 += 12;
                b += 4;
            }
        }
        // First panel's rows at 0..11 (lanes 12..15 spill over), then the second panel's at 12..23.
        c0.Store(tile); c1.Store(tile + 32); c2.Store(tile + 64); c3.Store(tile + 96);
        d0.Store(tile + 12); d1.Store(tile + 44); d2.Store(tile + 76); d3.Store(tile + 108);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelColumns6(int k, float* a0, float* a1, float* b, float* tile, bool fromC)
    {
        Vector256<float> c0 = Vector256From(tile, fromC), c1 = Vector256From(tile + 16, fromC), c2 = Vector256From(tile + 32, fromC), c3 = Vector256From(tile + 48, fromC),
            d0 = Vector256From(tile + 6, fromC), d1 = Vector256From(tile + 22, fromC), d2 = Vector256From(tile + 38, fromC), d3 = Vector256From(tile + 54, fromC);
        var second = a1 is not null;
        if (!second) a1 = a0; // computed and discarded: keeps one loop
        for (var p = 0; p < k; p++)
        {
            var x = Vector256.Load(a0);
            var y = Vector256.Load(a1);
            var b0 = Vector256.Create(b[0]);
            var b1 = Vector256.Create(b[1]);
            var b2 = Vector256.Create(b[2]);
            var b3 = Vector256.Create(b[3]);
            c0 = Vector256.FusedMultiplyAdd(x, b0, c0); d0 = Vector256.FusedMultiplyAdd(y, b0, d0);
            c1 = Vector256.FusedMultiplyAdd(x, b1, c1); d1 = Vector256.FusedMultiplyAdd(y, b1, d1);
            c2 = Vector256.FusedMultiplyAdd(x, b2, c2); d2 = Vector256.FusedMultiplyAdd(y, b2, d2);
            c3 = Vector256.FusedMultiplyAdd(x, b3, c3); d3 = Vector256.FusedMultiplyAdd(y, b3, d3);
            a0 += 6;
            a1 += 6;
            b += 4;
        }
        c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32); c3.Store(tile + 48);
        if (!second) return;
        d0.Store(tile + 6); d1.Store(tile + 22); d2.Store(tile + 38); d3.Store(tile + 54);
    }

    // The 128-bit kernels: the same tiles as AVX2's at half the width, with a multiply then an add per step
    // (WebAssembly SIMD has no fused multiply-add; a software FMA per lane would be far slower).

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel128x6x8(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector128<float> c00 = Vector128From(c, f), c01 = Vector128From(c + 4, f), c10 = Vector128From(c + 1 * ldc, f), c11 = Vector128From(c + 1 * ldc + 4, f),
            c20 = Vector128From(c + 2 * ldc, f), c21 = Vector128From(c + 2 * ldc + 4, f), c30 = Vector128From(c + 3 * ldc, f), c31 = Vector128From(c + 3 * ldc + 4, f),
            c40 = Vector128From(c + 4 * ldc, f), c41 = Vector128From(c + 4 * ldc + 4, f), c50 = Vector128From(c + 5 * ldc, f), c51 = Vector128From(c + 5 * ldc + 4, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            Vector128<float> x;
            x = Vector128.Create(a[0]); c00 += x * b0; c01 += x * b1;
            x = Vector128.Create(a[1]); c10 += x * b0; c11 += x * b1;
            x = Vector128.Create(a[2]); c20 += x * b0; c21 += x * b1;
            x = Vector128.Create(a[3]); c30 += x * b0; c31 += x * b1;
            x = Vector128.Create(a[4]); c40 += x * b0; c41 += x * b1;
            x = Vector128.Create(a[5]); c50 += x * b0; c51 += x * b1;
            a += 6;
            b += ldb;
        }
        var add = mode == Start.AddC;
        Store1(c, 0 * ldc, c00, add); Store1(c, 0 * ldc + 4, c01, add); Store1(c, 1 * ldc, c10, add); Store1(c, 1 * ldc + 4, c11, add);
        Store1(c, 2 * ldc, c20, add); Store1(c, 2 * ldc + 4, c21, add); Store1(c, 3 * ldc, c30, add); Store1(c, 3 * ldc + 4, c31, add);
        Store1(c, 4 * ldc, c40, add); Store1(c, 4 * ldc + 4, c41, add); Store1(c, 5 * ldc, c50, add); Store1(c, 5 * ldc + 4, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel128x6x4(int k, float* a, float* b, int ldb, float* c, int ldc, Start mode)
    {
        var f = mode == Start.FromC;
        Vector128<float> c0 = Vector128From(c, f), c1 = Vector128From(c + 1 * ldc, f), c2 = Vector128From(c + 2 * ldc, f), c3 = Vector128From(c + 3 * ldc, f),
            c4 = Vector128From(c + 4 * ldc, f), c5 = Vector128From(c + 5 * ldc, f);
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector128.Load(b);
            c0 += Vector128.Create(a[0]) * b0;
            c1 += Vector128.Create(a[1]) * b0;
            c2 += Vector128.Create(a[2]) * b0;
            c3 += Vector128.Create(a[3]) * b0;
            c4 += Vector128.Create(a[4]) * b0;
            c5 += Vector128.Create(a[5]) * b0;
            a += 6;
            b += ldb;
        }
        var add = mode == Start.AddC;
        Store1(c, 0 * ldc, c0, add); Store1(c, 1 * ldc, c1, add); Store1(c, 2 * ldc, c2, add);
        Store1(c, 3 * ldc, c3, add); Store1(c, 4 * ldc, c4, add); Store1(c, 5 * ldc, c5, add);
    }

    /// <summary>A chain's start: the value stored at <paramref name="p"/> when continuing, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<float> Vector128From(float* p, bool load) => load ? Vector128.Load(p) : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store1(float* c, int offset, Vector128<float> v, bool accumulate)
    {
        var p = c + offset;
        if (accumulate) v += Vector128.Load(p);
        v.Store(p);
    }

    /// <summary>A chain's start: the value stored at <paramref name="p"/> when continuing, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Vector512From(float* p, bool load) => load ? Vector512.Load(p) : default;

    /// <summary>A chain's start: the value stored at <paramref name="p"/> when continuing, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Vector256From(float* p, bool load) => load ? Vector256.Load(p) : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store2(float* c, int offset, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        var p = c + offset;
        if (accumulate)
        {
            v0 += Vector512.Load(p);
            v1 += Vector512.Load(p + 16);
        }
        v0.Store(p);
        v1.Store(p + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store1(float* c, int offset, Vector512<float> v, bool accumulate)
    {
        var p = c + offset;
        if (accumulate) v += Vector512.Load(p);
        v.Store(p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store2(float* c, int offset, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        var p = c + offset;
        if (accumulate)
        {
            v0 += Vector256.Load(p);
            v1 += Vector256.Load(p + 8);
        }
        v0.Store(p);
        v1.Store(p + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store1(float* c, int offset, Vector256<float> v, bool accumulate)
    {
        var p = c + offset;
        if (accumulate) v += Vector256.Load(p);
        v.Store(p);
    }

    // ---- generic path (double, and float on CPUs without AVX2) ------------------------------------

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
