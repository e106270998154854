using System.Runtime.Intrinsics.X86;

namespace BatchNormLab.Data;

/// <summary>
/// Asks the CPU to start loading a row into cache before it is read. A shuffled minibatch reads rows
/// at random from a data set far larger than the caches; each row is a few cache lines the hardware
/// prefetcher cannot predict, so without a hint the rows arrive one main-memory round trip at a time.
/// </summary>
internal static class RowPrefetch
{
    /// <summary>Rows hinted ahead of the one being copied: enough to overlap the round trips, few enough to stay in L1/L2.</summary>
    public const int Distance = 16;

    /// <summary>Hints every cache line of row <paramref name="row"/> (of <paramref name="cols"/> elements); a no-op without SSE (e.g. Arm, WebAssembly).</summary>
    public static unsafe void Row<T>(T[] data, int row, int cols) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        var bytes = cols * sizeof(T);
        fixed (T* p = &data[(long)row * cols])
        {
            var start = (byte*)p;
            for (var c = 0; c < bytes; c += 64) Sse.Prefetch0(start + c);
            Sse.Prefetch0(start + bytes - 1); // the last line, when the row does not start on a line boundary
        }
    }
}
