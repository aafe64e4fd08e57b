using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnDemand;

/// <summary>
/// zscore and minmax scale by the source view's newest stored profile, taken when the view is planned and kept with
/// its registry version: online and training data use the same numbers, a newer profile is a change at the next plan,
/// and a view with no profile is refused at the feature's line, naming the command that makes one.
/// </summary>
public sealed class OnDemandStatisticsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private const string UserStats = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,0,10.0
        3,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,9,45.25
        4,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,,
        """;

    private const string Scaled = """
        on_demand_feature_views:
          - name: scaled
            sources: [user_stats]
            features:
              - {name: spend_z, dtype: float64, expr: "zscore(user_stats.spend_7d)"}
              - {name: orders_unit, dtype: float64, expr: "minmax(user_stats.orders_7d)"}
        """;

    [Fact]
    public async Task Online_and_training_data_scale_with_the_profile_recorded_at_plan()
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", UserStats)
            .Write("entities.csv", "user_id,event_timestamp\n1,2026-11-02T00:00:00Z\n2,2026-11-02T00:00:00Z\n3,2026-11-02T00:00:00Z\n4,2026-11-02T00:00:00Z\n");
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();
        var profile = await store.ProfileAsync("user_stats");
        repo.Write("on_demand.yaml", Scaled);
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);
        string[] features = ["scaled:spend_z", "scaled:orders_unit"];

        var recorded = (await store.GetRegistryAsync()).Definitions.FindOnDemandFeatureView("scaled")!.Statistics;
        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L, 3L, 4L] },
        });
        var training = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = features });
        await using var rows = await training.ReadAsync();

        Assert.Equal(["user_stats.orders_7d", "user_stats.spend_7d"], recorded.Select(s => s.Feature));
        Assert.All(recorded, s => Assert.Equal(profile.Id, s.ProfileId));
        var spend = profile.Features.Single(f => f.Name == "spend_7d");
        var orders = profile.Features.Single(f => f.Name == "orders_7d");
        Assert.Equal((175.75 / 3, 0.0, 9.0), (spend.Mean!.Value, orders.Min!.Value, orders.Max!.Value));
        double?[] spends = [120.5, 10.0, 45.25, null];
        long?[] orderCounts = [3, 0, 9, null];
        for (var r = 0; r < 4; r++)
        {
            Assert.True(await rows.Reader.ReadAsync());
            double? z = spends[r] is { } x ? (x - spend.Mean.Value) / spend.StdDev!.Value : null;
            double? unit = orderCounts[r] is { } o ? o / 9.0 : null;
            Assert.Equal(z, online["spend_z"].Values[r].IsNull ? null : online["spend_z"].Values[r].AsFloat64());
            Assert.Equal(unit, online["orders_unit"].Values[r].IsNull ? null : online["orders_unit"].Values[r].AsFloat64());
            Assert.Equal(z, rows.Reader.IsDBNull(rows.Reader.GetOrdinal("spend_z")) ? null : rows.Reader.GetDouble(rows.Reader.GetOrdinal("spend_z")));
            Assert.Equal(unit, rows.Reader.IsDBNull(rows.Reader.GetOrdinal("orders_unit")) ? null : rows.Reader.GetDouble(rows.Reader.GetOrdinal("orders_unit")));
        }
    }

    [Fact]
    public async Task A_newer_profile_changes_the_view_at_the_next_plan_and_an_unchanged_one_does_not()
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", UserStats);
        var time = new FakeTimeProvider(Now);
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await store.ApplyAsync();
        await store.ProfileAsync("user_stats");
        repo.Write("on_demand.yaml", Scaled);
        await store.ApplyAsync();

        var unchanged = await store.PlanAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        repo.Write("data/user_stats.csv", UserStats + "\n5,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,20,500.0\n");
        var newer = await store.ProfileAsync("user_stats");
        var changed = await store.PlanAsync();

        Assert.False(unchanged.HasChanges);
        var change = Assert.Single(changed.Changes);
        Assert.Equal((ObjectKind.OnDemandFeatureView, "scaled", ChangeAction.Update), (change.Kind, change.Name, change.Action));
        Assert.Contains(newer.Id, change.NewSpec, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_view_without_a_stored_profile_is_refused_at_the_features_line()
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", UserStats);
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();
        repo.Write("on_demand.yaml", Scaled);

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidDefinition, d.Code));
        var first = e.Diagnostics[0];
        Assert.Equal(("on_demand.yaml", 5), (first.Location!.Value.File, first.Location!.Value.Line));
        Assert.Contains("granary profile user_stats", first.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Diagnostics.Count);
    }
}
