using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>Plan and apply over the embedded registry, end to end from YAML files.</summary>
public sealed class PlanApplyTests
{
    [Fact]
    public async Task Plan_changes_nothing()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.PlanAsync();
            await store.PlanAsync();
        }

        await using var reader = FeatureStore.Open(repo.Root);
        Assert.Equal(0, (await reader.GetRegistryAsync()).Version);
        Assert.Empty(await reader.GetHistoryAsync());
        Assert.False(File.Exists(Path.Combine(repo.Root, "data", "registry.db")), "plan and reads must not create the registry file");
    }

    [Fact]
    public async Task Apply_stores_every_object_and_a_second_plan_shows_no_change()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            var result = await store.ApplyAsync();
            Assert.Equal(1, result.Version);
        }

        await using var reopened = FeatureStore.Open(repo.Root);
        var contents = await reopened.GetRegistryAsync();
        Assert.Equal(["item", "user"], contents.Definitions.Entities.Select(e => e.Name).Order());
        var view = contents.Definitions.FindFeatureView("user_stats")!;
        Assert.Equal(TimeSpan.FromDays(2), view.Ttl);
        Assert.Equal(["orders_7d", "spend_7d"], view.Schema.Select(f => f.Name));
        Assert.Equal("growth", view.Tags["team"]);
        Assert.False(contents.Definitions.FindFeatureView("item_info")!.Online);
        var plan = await reopened.PlanAsync();
        Assert.False(plan.HasChanges);
        Assert.Equal(8, plan.Unchanged);
    }

    [Fact]
    public async Task Plan_shows_adds_changes_with_their_properties_and_removals()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        repo.Write("features/shop.yaml", SampleRepository.Features
            .Replace("ttl: 2d", "ttl: 3d", StringComparison.Ordinal)
            .Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: float32}", StringComparison.Ordinal)
            .Replace("features: [user_stats:orders_7d, item_info:price]", "features: [user_stats:orders_7d]", StringComparison.Ordinal)
            .Replace("  - name: user_stats_push\n    type: push\n    batch_source: user_stats_source\n", "", StringComparison.Ordinal));
        repo.Write("more.yaml", """
            entities:
              - name: store
                value_type: string
            """);
        await using var again = FeatureStore.Open(repo.Root);

        var plan = await again.PlanAsync();

        var byName = plan.Changes.ToDictionary(c => c.Name);
        Assert.Equal(ChangeAction.Add, byName["store"].Action);
        Assert.Equal(ChangeAction.Remove, byName["user_stats_push"].Action);
        var view = byName["user_stats"];
        Assert.Equal(ChangeAction.Update, view.Action);
        Assert.Contains(view.Properties, p => p.Path == "ttl" && p.OldValue == "2d" && p.NewValue == "3d");
        Assert.Contains(view.Properties, p => p.Path == "schema.spend_7d.dtype" && p.OldValue == "float64" && p.NewValue == "float32");
        Assert.Equal(ChangeAction.Update, byName["recommender"].Action);
        Assert.Equal(4, plan.Changes.Count);
    }

    [Fact]
    public async Task History_keeps_each_apply_with_what_changed_and_the_definitions_as_applied()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 1d", StringComparison.Ordinal));
        await using var again = FeatureStore.Open(repo.Root);
        await again.ApplyAsync();

        var history = await again.GetHistoryAsync();
        Assert.Equal([2L, 1L], history.Select(h => h.Version));
        Assert.Equal(8, history[1].Changes.Count);
        var change = Assert.Single(history[0].Changes);
        Assert.Equal(("user_stats", ChangeAction.Update), (change.Name, change.Action));
        Assert.Contains("\"ttl\":\"2d\"", history[1].Definitions, StringComparison.Ordinal);
        Assert.Contains("\"ttl\":\"1d\"", history[0].Definitions, StringComparison.Ordinal);
        Assert.Contains(Environment.MachineName, history[0].AppliedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_with_mistakes_applies_nothing()
    {
        using var repo = SampleRepository.Create();
        repo.Write("bad.yaml", "feature_services:\n  - name: s\n    features: [nope:x]\n");
        await using var store = FeatureStore.Open(repo.Root);

        await Assert.ThrowsAsync<DefinitionException>(() => store.ApplyAsync());

        Assert.Equal(0, (await store.GetRegistryAsync()).Version);
        Assert.Empty(await store.GetHistoryAsync());
    }

    [Fact]
    public async Task A_stale_plan_is_rejected_and_the_registry_keeps_the_other_apply()
    {
        using var repo = SampleRepository.Create();
        await using var first = FeatureStore.Open(repo.Root);
        await using var second = FeatureStore.Open(repo.Root);
        var stalePlan = await second.PlanAsync();
        await first.ApplyAsync();

        var e = await Assert.ThrowsAsync<GranaryException>(() => second.ApplyAsync(stalePlan));

        Assert.Equal(ErrorCodes.RegistryConflict, e.Code);
        Assert.Single(await first.GetHistoryAsync());
    }

    [Fact]
    public async Task Readers_pick_up_an_apply_without_restarting()
    {
        using var repo = SampleRepository.Create();
        await using var reader = FeatureStore.Open(repo.Root);
        Assert.Equal(0, (await reader.GetRegistryAsync()).Version);
        await using (var writer = FeatureStore.Open(repo.Root))
        {
            await writer.ApplyAsync();
        }

        Assert.True(await reader.Registry.RefreshAsync());

        var contents = await reader.GetRegistryAsync();
        Assert.Equal(1, contents.Version);
        Assert.NotNull(contents.Definitions.FindFeatureService("recommender"));
        Assert.False(await reader.Registry.RefreshAsync());
    }
}
