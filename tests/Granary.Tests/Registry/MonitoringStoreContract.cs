using Granary.Registry.Monitoring;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// The monitoring state every <see cref="IRegistryStore"/> keeps (<see cref="IMonitoringStore"/>): each view's newest
/// event time only moves forward. What a test records is read back through another store instance over the same location.
/// </summary>
public abstract class MonitoringStoreContract : RegistryLocationContract
{
    private const string Project = "shop";
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    [Fact]
    public async Task A_newest_event_reads_back_in_microseconds_in_view_order()
    {
        await Open().RecordNewestEventsAsync(Project, [new("b_view", T0, T0.AddMinutes(1)), new("a_view", T0.AddHours(-1), T0.AddMinutes(2))]);

        var read = await Open().GetNewestEventsAsync(Project);

        Assert.Equal(["a_view", "b_view"], read.Select(e => e.View));
        Assert.Equal(T0.AddHours(-1).AddTicks(-7), read[0].NewestEvent);
        Assert.Equal(T0.AddMinutes(2).AddTicks(-7), read[0].RecordedAt);
        Assert.Equal(T0.AddTicks(-7), read[1].NewestEvent);
    }

    [Fact]
    public async Task A_newest_event_moves_forward_and_an_older_one_changes_nothing()
    {
        await Open().RecordNewestEventsAsync(Project, [new("v", T0, T0)]);
        await Open().RecordNewestEventsAsync(Project, [new("v", T0.AddHours(-5), T0.AddHours(1))]);
        var afterOlder = Assert.Single(await Open().GetNewestEventsAsync(Project));
        await Open().RecordNewestEventsAsync(Project, [new("v", T0.AddHours(2), T0.AddHours(3))]);
        var afterNewer = Assert.Single(await Open().GetNewestEventsAsync(Project));

        Assert.Equal((T0.AddTicks(-7), T0.AddTicks(-7)), (afterOlder.NewestEvent, afterOlder.RecordedAt));
        Assert.Equal((T0.AddHours(2).AddTicks(-7), T0.AddHours(3).AddTicks(-7)), (afterNewer.NewestEvent, afterNewer.RecordedAt));
    }

    [Fact]
    public async Task Concurrent_recorders_leave_the_newest_of_all_their_times()
    {
        var times = Enumerable.Range(0, 8).Select(i => T0.AddMinutes((i * 5) % 8)).ToArray();
        await Task.WhenAll(times.Select(t => Task.Run(() => Open().RecordNewestEventsAsync(Project, [new("v", t, t)]))));

        Assert.Equal(times.Max().AddTicks(-7), Assert.Single(await Open().GetNewestEventsAsync(Project)).NewestEvent);
    }

    [Fact]
    public async Task Projects_keep_their_own_newest_events()
    {
        await Open().RecordNewestEventsAsync(Project, [new("v", T0, T0)]);
        await Open().RecordNewestEventsAsync("other", [new("v", T0.AddDays(1), T0)]);

        Assert.Equal(T0.AddTicks(-7), Assert.Single(await Open().GetNewestEventsAsync(Project)).NewestEvent);
        Assert.Empty(await Open().GetNewestEventsAsync("nobody"));
    }

    [Fact]
    public async Task An_alert_firing_reads_back_per_alert_view_and_condition()
    {
        await Open().RecordAlertFiringsAsync(Project, [new("stale", "b_view", "stale: true", T0), new("drift", "a_view", "drift_severity: high", T0.AddMinutes(1))]);
        await Open().RecordAlertFiringsAsync(Project, [new("stale", "a_view", "stale: true", T0.AddMinutes(2))]);

        var read = await Open().GetAlertFiringsAsync(Project);

        Assert.Equal(
            [("drift", "a_view", "drift_severity: high"), ("stale", "a_view", "stale: true"), ("stale", "b_view", "stale: true")],
            read.Select(f => (f.Alert, f.View, f.Condition)));
        Assert.Equal([T0.AddMinutes(1).AddTicks(-7), T0.AddMinutes(2).AddTicks(-7), T0.AddTicks(-7)], read.Select(f => f.FiredAt));
    }

    [Fact]
    public async Task An_alert_firing_moves_forward_only_and_projects_keep_their_own()
    {
        await Open().RecordAlertFiringsAsync(Project, [new("a", "v", "stale: true", T0)]);
        await Open().RecordAlertFiringsAsync(Project, [new("a", "v", "stale: true", T0.AddHours(-1))]);
        var afterOlder = Assert.Single(await Open().GetAlertFiringsAsync(Project)).FiredAt;
        await Open().RecordAlertFiringsAsync(Project, [new("a", "v", "stale: true", T0.AddHours(1))]);
        await Open().RecordAlertFiringsAsync("other", [new("a", "v", "stale: true", T0.AddDays(1))]);

        Assert.Equal(T0.AddTicks(-7), afterOlder);
        Assert.Equal(T0.AddHours(1).AddTicks(-7), Assert.Single(await Open().GetAlertFiringsAsync(Project)).FiredAt);
        Assert.Empty(await Open().GetAlertFiringsAsync("nobody"));
    }
}
