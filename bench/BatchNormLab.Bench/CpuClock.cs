using System.Runtime.InteropServices;

namespace BatchNormLab.Bench;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). Both contenders compute on the
/// calling thread (torch threads = 1), so steps per CPU-second compare them without the time slices
/// other processes on a shared machine take; wall-clock steps/s stay the headline numbers.
/// </summary>
internal static partial class CpuClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>Seconds of CPU time this thread has used, or NaN where the clock is unavailable.</summary>
    public static double ThreadSeconds()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : double.NaN;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }
}
