using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Time;
using Granary.OnlineServing;

namespace Granary.Tests.Streaming.Backfill;

/// <summary>
/// Backfill end to end, on each online store: a repository's logged events, <see cref="FeatureStore.BackfillAsync"/>,
/// then what serving answers at the range's end against what get-historical computes from the same log at that
/// instant (the training-data path, in SQL), for every function.
/// </summary>
public abstract class BackfillContract
{
    private static readonly long T0 = StreamEvents.T0;

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    [Property(MaxTest = 12)]
    public Property After_a_backfill_every_feature_online_at_the_end_equals_get_historical_at_the_end() =>
        Prop.ForAll(StreamOfflineScenario.Events.ToArbitrary(), Gen.Choose(0, 5400).ToArbitrary(), (events, later) =>
        {
            Task.Run(async () =>
            {
                // The range covers every event; the end is at or after the newest, up to 90 minutes later.
                var newest = events.Length == 0 ? T0 : events.Max(e => e.Event.Micros);
                var end = newest + (later * 1_000_000L);
                await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, end);

                var result = await repo.Store.BackfillAsync(BackfillRepository.View, UtcMicros.ToDateTimeOffset(T0 - 1), UtcMicros.ToDateTimeOffset(end));

                Assert.Equal(events.Select(e => e.Key).Distinct().Count(), result.Keys);
                Assert.Equal(events.Length, result.Events + result.Duplicates);
                await repo.AssertOnlineEqualsHistoricalAsync(1, 2, 3, 4);
            }).GetAwaiter().GetResult();
            return true;
        });
}

/// <summary>Backfill into the embedded online store.</summary>
public sealed class BackfillEmbeddedTests : BackfillContract
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}
