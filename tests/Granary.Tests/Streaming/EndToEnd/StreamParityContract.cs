using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Time;
using Granary.Historical;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Streaming.Aggregation;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// Issue 15's parity test, through the paths a user takes: a YAML repository (<see cref="StreamParityRepository"/>),
/// events pushed with <c>to: online_and_offline</c> through <see cref="FeatureStore.PushAsync"/> while the store's clock
/// follows them, online reads (<see cref="FeatureStore.GetOnlineFeaturesAsync"/>) at "now" after each push, and
/// training data (<see cref="FeatureStore.GetHistoricalFeaturesAsync"/>, DuckDB over the push log) with entity rows at
/// the same instants. Every feature of every key must agree online, offline and with the naive definition
/// (<see cref="StreamParityAssert"/> states the tolerances); late rows are reported by each push, and neither served
/// nor in training data; a key never counted is NOT_FOUND online and counts 0 offline; a served aggregate is dated by
/// the key's newest counted event. Run against each online store.
/// </summary>
public abstract class StreamParityContract
{
    private static readonly long T0 = StreamEvents.T0;

    private static readonly int[] Keys = [1, 2, 3, 4];

    /// <summary>The <c>online_store</c> value for granary.yaml; null for the default, embedded.</summary>
    protected abstract string? OnlineStoreYaml { get; }

    /// <summary>A project name no other test's data shares (a store such as Redis is shared by the tests).</summary>
    protected abstract string NewProject();

    [Property(MaxTest = 4)]
    public Property Online_values_after_every_push_equal_training_data_at_the_same_instant() =>
        Prop.ForAll(StreamArrivals.Scenarios.ToArbitrary(), scenario =>
        {
            Task.Run(() => CheckAsync(scenario.Pushes, scenario.Pauses)).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task A_redelivery_a_reused_id_and_a_late_event_count_alike_online_and_offline()
    {
        // User 1: t1 at 12:05 (3.0) and t2 at 12:02 (1.0); then t1 again at 12:01 (9.0), a reuse of the id, skipped;
        // t1 for user 2 (5.0), another event; t3 at 11:50 is 15 minutes behind 12:05, later than the 10 allowed;
        // t2 redelivered. At 12:10 user 1 has 3 + 1 = 4 from two events, its first merchant is t2's (12:02).
        var pushes = new[]
        {
            new[] { Row(1, 5, 3.0, "a", "t1"), Row(1, 2, 1.0, "b", "t2") },
            [Row(1, 1, 9.0, "z", "t1"), Row(2, 3, 5.0, "c", "t1")],
            [Row(1, -10, 100.0, "y", "t3"), Row(1, 2, 1.0, "b", "t2")],
        };

        var reads = await CheckAsync(pushes, [0, 0, 300]);

        Assert.Equal([0, 0, 1], reads.LateRows);
        var last = reads.Online[^1];
        Assert.Equal([4.0, 5.0], last["sum_amount_lifetime"].Values[..2].ToArray().Select(v => v.AsFloat64()));
        Assert.Equal([2L, 1L], last["count_lifetime"].Values[..2].ToArray().Select(v => v.AsInt64()));
        Assert.Equal("b", last["first_merchant_1h"].Values[0].ToObject());
        Assert.Equal(T0 + Minutes(5), last["count_lifetime"].EventTimestamps[0]);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.Present, FeatureStatus.NotFound, FeatureStatus.NotFound], last["count_lifetime"].Statuses.ToArray());
    }

    private static Arrival Row(int key, int minutes, double amount, string merchant, string id) =>
        new(key, new StreamEvent(T0 + Minutes(minutes), amount, 1, merchant), id);

    private static long Minutes(int minutes) => minutes * 60_000_000L;

    private async Task<(List<int> LateRows, List<OnlineFeaturesResponse> Online)> CheckAsync(Arrival[][] pushes, int[] pauses)
    {
        using var repo = await StreamParityRepository.CreateAsync(NewProject(), OnlineStoreYaml);
        var clock = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0 - Minutes(60)));
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build();
        await store.ApplyAsync();
        var plan = StreamParityRepository.Plan(await store.GetRegistryAsync());
        var features = plan.Features.Select(f => $"{StreamParityRepository.View}:{f.Name}").ToList();
        var model = new StreamArrivalModel(StreamParityRepository.Lateness);
        var (lateRows, responses) = (new List<int>(), new List<OnlineFeaturesResponse>());
        for (var p = 0; p < pushes.Length; p++)
        {
            // Events arrive after they happen: the clock is at least at the newest event of the push.
            Advance(clock, pushes[p].Max(a => a.Event.Micros));
            var pushed = await store.PushAsync(new PushRequest
            {
                PushSourceName = StreamParityRepository.PushSource,
                Columns = StreamParityRepository.Columns(pushes[p]),
                To = PushTarget.OnlineAndOffline,
            });
            var late = model.Push(pushes[p]);
            Assert.Equal(late, pushed.LateRows);
            lateRows.Add(pushed.LateRows);

            if (pauses[p] == StreamArrivals.NoRead && p < pushes.Length - 1)
            {
                continue;
            }

            Advance(clock, model.NewestMicros + (Math.Max(0, pauses[p]) * 1_000_000L));
            var t = UtcMicros.From(clock.GetUtcNow());
            var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = Keys.Select(k => (object?)(long)k).ToList() },
                Features = features,
            });
            responses.Add(online);
            var entities = await StreamOfflineScenario.WriteEntitiesAsync(
                Directory.CreateDirectory(Path.Combine(repo.Root, $"read-{p}")).FullName, [.. Keys.Select(k => (k, t))]);
            var training = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityTable.FromFile(entities), Features = features });
            await using var rows = await training.ReadAsync();
            await CompareAsync(plan, model, online, rows, t, $"after push {p}");
        }

        return (lateRows, responses);
    }

    private static async Task CompareAsync(AggregationPlan plan, StreamArrivalModel model, OnlineFeaturesResponse online, OfflineRows rows, long t, string when)
    {
        var reader = rows.Reader;
        var row = 0;
        while (await reader.ReadAsync())
        {
            var key = Keys[Convert.ToInt32(reader.GetValue(reader.GetOrdinal("label")), System.Globalization.CultureInfo.InvariantCulture)];
            var counted = model.Counted(key);
            foreach (var feature in plan.Features)
            {
                var column = online[feature.Name];
                var index = Array.IndexOf(Keys, key);
                var what = $"{when}, user {key}";
                var status = column.Statuses[index];
                if (counted.Count == 0)
                {
                    Assert.True(status == FeatureStatus.NotFound, $"{what}, {feature.Name}: a key never counted is NOT_FOUND, not {status}");
                }
                else
                {
                    Assert.True(status == FeatureStatus.Present, $"{what}, {feature.Name}: {status}, not PRESENT");
                    Assert.Equal(counted.Max(a => a.Event.Micros), column.EventTimestamps[index]);
                }

                var ordinal = reader.GetOrdinal(feature.Name);
                var offline = reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);
                if (counted.Count == 0)
                {
                    // NOT_FOUND online has no values to compare; offline the key simply has no events.
                    StreamOfflineScenario.AssertValue(
                        NaiveWindowAggregation.Compute(plan.Aggregations[feature.AggregationIndex].Function, []), offline, $"offline, {what}, {feature.Name}");
                    continue;
                }

                StreamParityAssert.Agree(plan, feature, counted, t, offline, column.Values[index], what);
            }

            row++;
        }

        Assert.Equal(Keys.Length, row);
    }

    private static void Advance(FakeTimeProvider clock, long micros)
    {
        var at = UtcMicros.ToDateTimeOffset(micros);
        if (at > clock.GetUtcNow())
        {
            clock.SetUtcNow(at);
        }
    }
}
