using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Lineage;
using Granary.Registry.Building;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Derived;

/// <summary>
/// <c>derived_feature_views:</c> as definitions: what <c>plan</c> refuses (at the query's file and line), what
/// <c>apply</c> stores and reads back, the C# builder, and the lineage edges from inputs to the derived view.
/// </summary>
public sealed class DerivedFeatureViewDefinitionTests
{
    private static TempRepository Repository(string definitions) =>
        DerivedRepository.Create("project: derived\n", DerivedRepository.Purchases(seed: 1, count: 5)).Write("features.yaml", definitions);

    private static async Task<Diagnostic> SingleMistakeAsync(string definitions)
    {
        using var repo = Repository(definitions);
        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("features.yaml", d.Location!.Value.File);
        return d;
    }

    private static int LineOf(string text, string fragment) =>
        text[..text.IndexOf(fragment, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    [Fact]
    public async Task An_unknown_reference_is_reported_at_the_query_with_a_suggestion()
    {
        var yaml = DerivedRepository.Definitions.Replace("FROM {{ purchases }}", "FROM {{ purchses }}", StringComparison.Ordinal);

        var d = await SingleMistakeAsync(yaml);

        Assert.Equal(ErrorCodes.UnknownReference, d.Code);
        Assert.Contains("'{{ purchses }}'", d.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'purchases'", d.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "name: user_totals") + 3, d.Location!.Value.Line);
    }

    [Fact]
    public async Task A_reference_cycle_is_refused_and_named()
    {
        var yaml = DerivedRepository.Definitions.Replace("FROM {{ purchases }}", "FROM {{ user_level }}", StringComparison.Ordinal);

        using var repo = Repository(yaml);
        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var messages = e.Diagnostics.Select(d => d.Message).ToList();
        Assert.Contains(messages, m => m.Contains("user_level -> user_totals -> user_level", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("user_totals -> user_level -> user_totals", StringComparison.Ordinal));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidDefinition, d.Code));
    }

    [Fact]
    public async Task Schema_features_the_query_does_not_return_are_named_by_plan()
    {
        var yaml = DerivedRepository.Definitions.Replace(
            "- {name: purchase_count, dtype: int64}", "- {name: purchase_count, dtype: int64}\n      - {name: bonus, dtype: float64}", StringComparison.Ordinal);

        var d = await SingleMistakeAsync(yaml);

        Assert.Equal(ErrorCodes.InvalidDefinition, d.Code);
        Assert.Contains("does not return 'bonus'", d.Message, StringComparison.Ordinal);
        Assert.Contains("it returns user_id, event_timestamp, total, purchase_count", d.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "name: user_totals") + 3, d.Location!.Value.Line);
    }

    [Fact]
    public async Task A_query_the_engine_cannot_plan_is_reported_with_the_views_name_and_without_the_expanded_sql()
    {
        var yaml = DerivedRepository.Definitions.Replace("CAST(sum(amount) OVER w AS DOUBLE)", "CAST(sum(amout) OVER w AS DOUBLE)", StringComparison.Ordinal);

        var d = await SingleMistakeAsync(yaml);

        Assert.Contains("The query of derived feature view 'user_totals' does not run", d.Message, StringComparison.Ordinal);
        Assert.Contains("amout", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__input", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("read_csv", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_stores_the_query_and_reads_it_back_and_a_changed_query_is_an_update()
    {
        using var repo = Repository(DerivedRepository.Definitions);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var stored = (await store.GetRegistryAsync()).Definitions.FindFeatureView("user_totals")!;
        Assert.Equal("", stored.Source);
        Assert.StartsWith("SELECT user_id, event_timestamp,", stored.Derived!.Query, StringComparison.Ordinal);
        Assert.Equal(["purchases"], stored.Derived.References());

        repo.Write("features.yaml", DerivedRepository.Definitions.Replace("total >= 100", "total >= 150", StringComparison.Ordinal));
        var plan = await store.PlanAsync();
        var change = Assert.Single(plan.Changes);
        Assert.Equal(("user_level", Granary.Registry.Storage.ChangeAction.Update), (change.Name, change.Action));
    }

    [Fact]
    public async Task OpenLineage_events_run_from_each_input_to_the_derived_view()
    {
        using var repo = Repository(DerivedRepository.Definitions);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var events = new OpenLineageExporter(new FakeTimeProvider(DerivedRepository.Start)).CreateEvents(await store.GetRegistryAsync());

        List<string> Inputs(string job)
        {
            var e = Assert.Single(events, e => e.JobName == job);
            using var json = JsonDocument.Parse(e.Json);
            return [.. json.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
        }

        Assert.Equal(["feature_view.user_totals"], Inputs("feature_view.user_level"));
        Assert.Equal(["feature_view.purchases"], Inputs("feature_view.user_totals"));
        Assert.Equal(["data_source.purchase_log"], Inputs("feature_view.purchases"));
    }

    [Fact]
    public void The_builder_declares_a_derived_view_and_refuses_one_without_a_query()
    {
        var builder = new RepositoryBuilder()
            .Entity("user", e => e.JoinKeys("user_id").ValueType(Granary.Core.Model.FeatureType.Int64))
            .DerivedFeatureView("user_level", v => v.Entities("user").Query("SELECT user_id, event_timestamp, 'x' AS level FROM {{ user_totals }}").Feature("level", Granary.Core.Model.FeatureType.String));

        var view = Assert.Single(builder.Build().FeatureViews);
        Assert.Equal(["user_totals"], view.Derived!.References());
        Assert.Throws<ArgumentException>(() => new RepositoryBuilder().DerivedFeatureView("x", v => v.Source("s")));
    }
}
