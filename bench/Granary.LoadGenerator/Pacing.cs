using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Granary.LoadGenerator;

/// <summary>Waiting for a request's due time without spinning.</summary>
internal static partial class Pacing
{
    /// <summary>
    /// Returns at <paramref name="due"/> (a <see cref="Stopwatch"/> timestamp): sleeps while far from it, then in steps
    /// of at most 50 µs (usleep: hrtimer-precise on Linux). Never spins: on 2 cores a spinning generator takes a core
    /// from the server it measures.
    /// </summary>
    public static void SleepUntil(long due)
    {
        var twoMs = Stopwatch.Frequency / 500;
        long now;
        while ((now = Stopwatch.GetTimestamp()) < due)
        {
            if (due - now > twoMs)
            {
                Thread.Sleep(1);
            }
            else
            {
                _ = Usleep((uint)Math.Clamp((due - now) * 1_000_000 / Stopwatch.Frequency, 1, 50));
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);
}
