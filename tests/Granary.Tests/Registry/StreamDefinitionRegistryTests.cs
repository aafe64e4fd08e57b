using Granary.Core.Model;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Granary.Tests.Streaming;

namespace Granary.Tests.Registry;

/// <summary>
/// Stream feature views and stream sources in the registry (SQLite here, PostgreSQL in
/// <see cref="StreamDefinitionPostgresTests"/>): stored and read back unchanged, diffed and recorded in history, and
/// an aggregation added to a live view is planned as features that serve from the next events unless backfilled.
/// </summary>
public sealed class StreamDefinitionRegistryTests
{
    private const string SpendAggregations = "      - {column: merchant_id, function: last_k, k: 5, windows: [1d]}";

    /// <summary>
    /// Applies the repository, then checks through a second store that every stored spec reads back into an object
    /// whose canonical form is the same bytes, and that planning again finds nothing to change.
    /// </summary>
    internal static async Task AssertRoundTripsAsync(TempRepository repo)
    {
        await using (var store = FeatureStore.Open(repo.Root))
        {
            Assert.Equal(1, (await store.ApplyAsync()).Version);
        }

        await using var reopened = FeatureStore.Open(repo.Root);
        var contents = await reopened.GetRegistryAsync();
        Assert.Equal(8, contents.Snapshot.Objects.Count);
        foreach (var stored in contents.Snapshot.Objects)
        {
            var read = CanonicalJsonReader.Read(stored.Kind, stored.Spec);
            Assert.Equal(stored.Spec, CanonicalJson.Serialize(read));
            Assert.Equal(stored.Hash, CanonicalJson.Hash(stored.Spec));
        }

        Assert.IsType<RedisStreamSource>(contents.Definitions.FindSource("transactions_stream"));
        Assert.IsType<NatsSource>(contents.Definitions.FindSource("clicks_nats"));
        Assert.Equal(10, contents.Definitions.FindFeatureView("user_spend")!.Schema.Count);
        var replan = await reopened.PlanAsync();
        Assert.False(replan.HasChanges, string.Join("\n", replan.Changes.SelectMany(c => c.Properties)));
        Assert.Empty(replan.StreamFeaturesToBackfill);
    }

    private static string WithAggregation(string aggregation) =>
        StreamDefinitionRepository.IssueExample.Replace(SpendAggregations, SpendAggregations + "\n" + aggregation, StringComparison.Ordinal);

    [Fact]
    public async Task Stream_views_and_sources_round_trip_through_a_sqlite_registry()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        await AssertRoundTripsAsync(repo);
    }

    [Fact]
    public async Task A_new_stream_view_is_planned_as_features_to_backfill_and_never_as_a_view_to_rematerialize()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        await using var store = FeatureStore.Open(repo.Root);

        var plan = await store.PlanAsync();

        var change = Assert.Single(plan.StreamFeaturesToBackfill);
        Assert.Equal("user_spend", change.View);
        Assert.True(change.NewView);
        Assert.Equal(10, change.Features.Count);
        Assert.Empty(plan.ViewsToRematerialize);
    }

    [Fact]
    public async Task Adding_an_aggregation_to_a_live_view_is_an_update_whose_new_features_need_a_backfill_and_is_recorded_in_history()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        repo.Write("streams.yaml", WithAggregation("      - {column: amount, function: max, windows: [1h, 1d]}"));

        var plan = await store.PlanAsync();
        await store.ApplyAsync(plan);

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ObjectKind.FeatureView, "user_spend", ChangeAction.Update), (change.Kind, change.Name, change.Action));
        var properties = change.Properties.Select(p => p.ToString()).ToList();
        Assert.Contains(properties, p => p.StartsWith("schema.max_amount_1h: + ", StringComparison.Ordinal));
        Assert.Contains(properties, p => p.StartsWith("schema.max_amount_1d: + ", StringComparison.Ordinal));
        Assert.Contains(properties, p => p.StartsWith("stream.aggregations[6]: + {\"function\":\"max\"", StringComparison.Ordinal));
        Assert.Equal(3, properties.Count);

        var backfill = Assert.Single(plan.StreamFeaturesToBackfill);
        Assert.Equal(("user_spend", false), (backfill.View, backfill.NewView));
        Assert.Equal(["max_amount_1h", "max_amount_1d"], backfill.Features);
        Assert.Empty(plan.ViewsToRematerialize);

        var history = await store.GetHistoryAsync();
        Assert.Equal([2, 1], history.Select(h => h.Version));
        var recorded = Assert.Single(history[0].Changes);
        Assert.Equal((ObjectKind.FeatureView, "user_spend", ChangeAction.Update, change.NewHash), (recorded.Kind, recorded.Name, recorded.Action, recorded.NewHash));
        Assert.Contains("\"max_amount_1d\"", history[0].Definitions, StringComparison.Ordinal);
        Assert.DoesNotContain("\"max_amount_1d\"", history[1].Definitions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_moved_to_another_hop_needs_a_backfill_but_a_new_description_does_not()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        repo.Write("streams.yaml", StreamDefinitionRepository.IssueExample.Replace("{window: 7d, hop: 1h}", "{window: 7d, hop: 2h}", StringComparison.Ordinal));
        var hopChanged = await store.PlanAsync();
        repo.Write("streams.yaml", StreamDefinitionRepository.IssueExample.Replace("    ttl: 0\n", "    ttl: 0\n    description: Spend per user.\n", StringComparison.Ordinal));
        var described = await store.PlanAsync();

        Assert.Equal(["sum_amount_7d"], Assert.Single(hopChanged.StreamFeaturesToBackfill).Features);
        Assert.Equal("stream.aggregations[0].windows[2].hop: 1h -> 2h", Assert.Single(Assert.Single(hopChanged.Changes).Properties).ToString());
        Assert.Equal("description:  -> Spend per user.", Assert.Single(Assert.Single(described.Changes).Properties).ToString());
        Assert.Empty(described.StreamFeaturesToBackfill);
    }
}
