using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BatchNormLab.Data;

/// <summary>
/// Pixel bytes to inputs in [0, 1]: x = b / 255. The one place this conversion is written, shared by
/// the Fashion-MNIST loader (whole files) and <see cref="MinibatchIterator"/> (one row at a time).
/// </summary>
internal static class UnitInterval
{
    /// <summary>
    /// dst[i] = src[i] / 255f for every i of <paramref name="src"/>: exactly the scalar division (a byte
    /// converts to float exactly and each lane divides with IEEE rounding), so the vector paths
    /// (Vector256, then Vector128 as in WebAssembly, then scalar for the tail) give bit-identical floats.
    /// </summary>
    public static void FromBytes(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dst.Length < src.Length)
            throw new ArgumentException($"Destination holds {dst.Length} floats for {src.Length} bytes; pass one at least as long as the source.", nameof(dst));
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        var n = (nuint)src.Length;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var divisor = Vector256.Create(255f);
            for (; i + (nuint)Vector256<byte>.Count <= n; i += (nuint)Vector256<byte>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                var (a, b) = Vector256.Widen(lo);
                var (e, f) = Vector256.Widen(hi);
                (Vector256.ConvertToSingle(a.AsInt32()) / divisor).StoreUnsafe(ref d, i);
                (Vector256.ConvertToSingle(b.AsInt32()) / divisor).StoreUnsafe(ref d, i + 8);
                (Vector256.ConvertToSingle(e.AsInt32()) / divisor).StoreUnsafe(ref d, i + 16);
                (Vector256.ConvertToSingle(f.AsInt32()) / divisor).StoreUnsafe(ref d, i + 24);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var divisor = Vector128.Create(255f);
            for (; i + (nuint)Vector128<byte>.Count <= n; i += (nuint)Vector128<byte>.Count)
            {
                var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                var (a, b) = Vector128.Widen(lo);
                var (e, f) = Vector128.Widen(hi);
                (Vector128.ConvertToSingle(a.AsInt32()) / divisor).StoreUnsafe(ref d, i);
                (Vector128.ConvertToSingle(b.AsInt32()) / divisor).StoreUnsafe(ref d, i + 4);
                (Vector128.ConvertToSingle(e.AsInt32()) / divisor).StoreUnsafe(ref d, i + 8);
                (Vector128.ConvertToSingle(f.AsInt32()) / divisor).StoreUnsafe(ref d, i + 12);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i) / 255f;
    }
}
