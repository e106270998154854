using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BatchNormLab.Bench;

/// <summary>
/// The machine's ceiling: single-core FP32 fused multiply-add throughput of the widest vectors the CPU
/// accelerates (what the GEMM kernels use), from 12 independent FMA chains (enough to cover FMA latency
/// × units on the CPUs we have met: 4 cycles × 2 units). Only CPU time of the calling thread counts, so
/// time slices taken by other processes do not lower it; the best of several runs is reported.
/// </summary>
internal static class PeakFlops
{
    public sealed record Result(double GigaFlops, string Description);

    public static Result Measure(int runs = 7, long iterations = 20_000_000)
    {
        var (width, name) = Vector512.IsHardwareAccelerated ? (16, "Vector512")
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? (8, "Vector256 + FMA")
            : (4, "Vector128 (no FMA unit used)");
        var flopsPerRun = iterations * 12.0 * width * 2;
        Chains(width, 1_000); // JIT and clocks up
        var best = 0.0;
        for (var r = 0; r < runs; r++)
        {
            var cpu = CpuClock.ThreadSeconds();
            var wall = Stopwatch.StartNew();
            Chains(width, iterations);
            var seconds = CpuClock.ThreadSeconds() - cpu;
            if (double.IsNaN(seconds)) seconds = wall.Elapsed.TotalSeconds;
            best = Math.Max(best, flopsPerRun / seconds / 1e9);
        }
        return new Result(best, $"{name}, 12 FMA chains, best of {runs} runs by thread CPU time");
    }

    // The timer stays outside the FMA loops: with it in the same method the JIT kept the chains on the stack.
    private static float Chains(int width, long iterations) => width switch
    {
        16 => Fma512(iterations, Vector512.Create(1f), Vector512.Create(0.5f)).ToScalar(),
        8 => Fma256(iterations, Vector256.Create(1f), Vector256.Create(0.5f)).ToScalar(),
        _ => Fma128(iterations, Vector128.Create(1f), Vector128.Create(0.5f)).ToScalar(),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Fma512(long iterations, Vector512<float> x, Vector512<float> y)
    {
        Vector512<float> c0 = x, c1 = x + y, c2 = x - y, c3 = y, c4 = x * 2, c5 = y * 2, c6 = x * 3, c7 = y * 3, c8 = x * 4, c9 = y * 4, ca = x * 5, cb = y * 5;
        var m = Vector512.Create(0.999999f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, y); c1 = Vector512.FusedMultiplyAdd(c1, m, y);
            c2 = Vector512.FusedMultiplyAdd(c2, m, y); c3 = Vector512.FusedMultiplyAdd(c3, m, y);
            c4 = Vector512.FusedMultiplyAdd(c4, m, y); c5 = Vector512.FusedMultiplyAdd(c5, m, y);
            c6 = Vector512.FusedMultiplyAdd(c6, m, y); c7 = Vector512.FusedMultiplyAdd(c7, m, y);
            c8 = Vector512.FusedMultiplyAdd(c8, m, y); c9 = Vector512.FusedMultiplyAdd(c9, m, y);
            ca = Vector512.FusedMultiplyAdd(ca, m, y); cb = Vector512.FusedMultiplyAdd(cb, m, y);
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + ca + cb;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Fma256(long iterations, Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> c0 = x, c1 = x + y, c2 = x - y, c3 = y, c4 = x * 2, c5 = y * 2, c6 = x * 3, c7 = y * 3, c8 = x * 4, c9 = y * 4, ca = x * 5, cb = y * 5;
        var m = Vector256.Create(0.999999f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, y); c1 = Vector256.FusedMultiplyAdd(c1, m, y);
            c2 = Vector256.FusedMultiplyAdd(c2, m, y); c3 = Vector256.FusedMultiplyAdd(c3, m, y);
            c4 = Vector256.FusedMultiplyAdd(c4, m, y); c5 = Vector256.FusedMultiplyAdd(c5, m, y);
            c6 = Vector256.FusedMultiplyAdd(c6, m, y); c7 = Vector256.FusedMultiplyAdd(c7, m, y);
            c8 = Vector256.FusedMultiplyAdd(c8, m, y); c9 = Vector256.FusedMultiplyAdd(c9, m, y);
            ca = Vector256.FusedMultiplyAdd(ca, m, y); cb = Vector256.FusedMultiplyAdd(cb, m, y);
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + ca + cb;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> Fma128(long iterations, Vector128<float> x, Vector128<float> y)
    {
        Vector128<float> c0 = x, c1 = x + y, c2 = x - y, c3 = y, c4 = x * 2, c5 = y * 2, c6 = x * 3, c7 = y * 3, c8 = x * 4, c9 = y * 4, ca = x * 5, cb = y * 5;
        var m = Vector128.Create(0.999999f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = c0 * m + y; c1 = c1 * m + y; c2 = c2 * m + y; c3 = c3 * m + y; c4 = c4 * m + y; c5 = c5 * m + y;
            c6 = c6 * m + y; c7 = c7 * m + y; c8 = c8 * m + y; c9 = c9 * m + y; ca = ca * m + y; cb = cb * m + y;
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + ca + cb;
    }
}
