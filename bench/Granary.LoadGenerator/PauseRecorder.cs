using System.Diagnostics.Tracing;
using System.Globalization;

namespace Granary.LoadGenerator;

/// <summary>
/// Records, inside a server process, how long the runtime suspended managed threads for each GC (the runtime's
/// SuspendEEStart to RestartEEStop events, through an <see cref="EventListener"/>), and how late a 1 ms sleeper
/// thread wakes up (stalls of the whole process: the OS not scheduling it, or a suspension). Printed on stop, so a
/// latency tail can be lined up with GC pauses or with the machine.
/// </summary>
internal sealed class PauseRecorder : EventListener
{
    private const int GcKeyword = 0x1;
    private readonly List<double> _pauses = [];
    private readonly List<double> _lateWakeups = [];
    private readonly Thread _sleeper;
    private long _suspendedAt;
    private volatile bool _stopped;

    public PauseRecorder()
    {
        _sleeper = new Thread(Sleep) { IsBackground = true, Name = "stall-probe" };
        _sleeper.Start();
    }

    public string Summary()
    {
        _stopped = true;
        lock (_pauses)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"GC suspensions: {Describe(_pauses)} | sleeper woke late (over 2 ms): {Describe(_lateWakeups)}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventName)
        {
            case "GCSuspendEEBegin_V1":
                _suspendedAt = eventData.TimeStamp.Ticks;
                break;
            case "GCRestartEEEnd_V1" when _suspendedAt != 0:
                lock (_pauses)
                {
                    _pauses.Add((eventData.TimeStamp.Ticks - _suspendedAt) / (double)TimeSpan.TicksPerMillisecond);
                }

                _suspendedAt = 0;
                break;
        }
    }

    private static string Describe(List<double> values)
    {
        if (values.Count == 0)
        {
            return "none";
        }

        var sorted = values.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Length} (p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]:F2} ms, max {sorted[^1]:F2} ms, over 5 ms: {sorted.Count(v => v > 5)})");
    }

    private void Sleep()
    {
        while (!_stopped)
        {
            var before = System.Diagnostics.Stopwatch.GetTimestamp();
            Thread.Sleep(1);
            var late = System.Diagnostics.Stopwatch.GetElapsedTime(before).TotalMilliseconds - 1;
            if (late > 2)
            {
                lock (_pauses)
                {
                    _lateWakeups.Add(late);
                }
            }
        }
    }
}
