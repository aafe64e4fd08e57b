using System.Collections.Concurrent;
using System.Diagnostics;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// Listens to Granary's activity sources, as OpenTelemetry would, and keeps the spans that ran beneath the root
/// activity it starts: other tests running meanwhile have spans of their own, with other trace ids. Started in a test
/// method, so that the root is the current activity of the calls the test makes.
/// </summary>
public sealed class CapturedActivities : IDisposable
{
    // Compared by name: the source's own constructor asks the listeners already added, before the field is set.
    private const string TestSourceName = "Granary.Tests.Diagnostics";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public CapturedActivities(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TestSourceName || sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == Root.TraceId && activity != Root)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _root = TestSource.StartActivity("test") ?? throw new InvalidOperationException($"The test's root activity did not start (listened to: {TestSource.HasListeners()}).");
    }

    /// <summary>The test's own activity, current while the test runs; every captured span descends from it.</summary>
    public Activity Root => _root;

    /// <summary>The spans stopped so far beneath <see cref="Root"/>, in the order they stopped.</summary>
    public Activity[] Stopped => [.. _stopped];

    public Activity Single(string name) => Assert.Single(Stopped, a => a.OperationName == name);

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }
}
