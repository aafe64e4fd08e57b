using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnDemand;

/// <summary>
/// On-demand feature views as definitions: each mistake reported by plan at the line it was written, stored and read
/// back unchanged, diffed and recorded in history, and the same canonical form from YAML and from the C# builder.
/// </summary>
public sealed class OnDemandDefinitionTests
{
    private const string File = "mistakes.yaml";

    private static async Task<DefinitionException> PlanFailsAsync(string mistakes)
    {
        using var repo = SampleRepository.Create().Write(File, mistakes);
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    private static Diagnostic At(DefinitionException e, string messagePart, string text, string written)
    {
        var matches = e.Diagnostics.Where(d => d.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing '{messagePart}', got:\n{string.Join("\n", e.Diagnostics)}");
        var line = Array.FindIndex(text.Split('\n'), l => l.Contains(written, StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, $"'{written}' is not in the file");
        Assert.Equal((File, line), (matches[0].Location?.File, matches[0].Location?.Line));
        return matches[0];
    }

    [Fact]
    public async Task Unknown_sources_columns_and_types_are_each_reported_at_their_line()
    {
        const string mistakes = """
            on_demand_feature_views:
              - name: bad_source
                sources: [user_statz]
                features:
                  - {name: ratio, dtype: float64, expr: "user_statz.spend_7d / 2"}
              - name: bad_columns
                sources: [user_stats]
                request_schema: [{name: amount, dtype: float64}]
                features:
                  - {name: unknown_column, dtype: float64, expr: "amount / user_stats.spend_30d"}
                  - {name: wrong_type, dtype: int64, expr: "amount * 2"}
                  - {name: not_a_condition, dtype: float64, expr: "amount and true"}
              - name: bad_text
                request_schema: [{name: amount, dtype: float64}]
                features:
                  - {name: both, dtype: float64, expr: "amount", function: Score}
            """;

        var e = await PlanFailsAsync(mistakes);

        var source = At(e, "reads feature view 'user_statz'", mistakes, "sources: [user_statz]");
        Assert.Contains("did you mean 'user_stats'?", source.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.UnknownReference, source.Code);
        var column = At(e, "Unknown column 'user_stats.spend_30d'", mistakes, "unknown_column");
        Assert.Contains("did you mean 'user_stats.spend_7d'?", column.Message, StringComparison.Ordinal);
        Assert.Contains("at column 10", column.Message, StringComparison.Ordinal);
        At(e, "computes a float, but its dtype is int64", mistakes, "wrong_type");
        At(e, "'and' needs a condition", mistakes, "not_a_condition");
        At(e, "needs exactly one of 'expr'", mistakes, "function: Score");
        Assert.DoesNotContain(e.Diagnostics, d => d.Message.Contains("user_statz.spend_7d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_that_is_also_a_feature_view_and_a_service_naming_a_missing_on_demand_feature_are_refused()
    {
        const string mistakes = """
            on_demand_feature_views:
              - name: user_stats
                request_schema: [{name: amount, dtype: float64}]
                features: [{name: doubled, dtype: float64, expr: "amount * 2"}]
              - name: order_context
                request_schema: [{name: amount, dtype: float64}]
                features: [{name: doubled, dtype: float64, expr: "amount * 2"}]
            feature_services:
              - name: scoring
                features: [order_context:doubled, order_context:tripled]
            """;

        var e = await PlanFailsAsync(mistakes);

        Assert.Equal(ErrorCodes.DuplicateName, At(e, "has the name of a feature view", mistakes, "name: user_stats").Code);
        At(e, "names feature 'tripled', which on-demand feature view 'order_context' does not have", mistakes, "order_context:tripled");
    }

    [Fact]
    public async Task An_on_demand_view_round_trips_through_the_registry_and_its_changes_are_planned_and_recorded()
    {
        using var repo = OnDemandRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var reopened = FeatureStore.Open(repo.Root);
        var contents = await reopened.GetRegistryAsync();
        var stored = Assert.Single(contents.Snapshot.Objects, o => o.Kind == ObjectKind.OnDemandFeatureView);
        var read = (OnDemandFeatureView)CanonicalJsonReader.Read(stored.Kind, stored.Spec);
        Assert.Equal(stored.Spec, CanonicalJson.Serialize(read));
        Assert.Equal(["user_stats"], read.Sources);
        Assert.Equal(["amount", "hour"], read.RequestSchema.Select(f => f.Name));
        Assert.Equal(FeatureType.Int32, read.RequestSchema[1].Type);
        Assert.Equal("amount / coalesce(user_stats.spend_7d, 1.0)", read.Features[0].Expression);
        Assert.Equal(("FraudScore", (string?)null), (read.Features[2].Function!, read.Features[2].Expression));
        Assert.False((await reopened.PlanAsync()).HasChanges);

        repo.Write(OnDemandRepository.File, OnDemandRepository.Definitions.Replace("amount / coalesce", "amount * 2 / coalesce", StringComparison.Ordinal));
        var plan = await reopened.PlanAsync();
        var change = Assert.Single(plan.Changes);
        Assert.Equal((ObjectKind.OnDemandFeatureView, "order_context", ChangeAction.Update), (change.Kind, change.Name, change.Action));
        Assert.Contains(change.Properties, p => p.NewValue?.Contains("amount * 2 / coalesce", StringComparison.Ordinal) == true);
        await reopened.ApplyAsync();
        var history = await reopened.GetHistoryAsync();
        Assert.Contains(history[0].Changes, c => c.Kind == ObjectKind.OnDemandFeatureView && c.Name == "order_context" && c.Action == ChangeAction.Update);
    }

    [Fact]
    public async Task Historical_retrieval_computes_on_demand_features_beside_stored_ones_with_full_names()
    {
        using var repo = OnDemandRepository.Create().Write("entities.csv", "user_id,event_timestamp,amount,hour\n1,2026-11-02T00:00:00Z,10.0,3\n");
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var result = await store.GetHistoricalFeaturesAsync(new Granary.Historical.HistoricalFeaturesRequest
        {
            Entities = Granary.Offline.Retrieval.EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_stats:orders_7d", "order_context:amount_over_spend", "order_context:busy_night"],
            FullFeatureNames = true,
        });
        await using var rows = await result.ReadAsync();
        var names = Enumerable.Range(0, rows.Reader.FieldCount).Select(rows.Reader.GetName).ToList();
        Assert.True(await rows.Reader.ReadAsync());

        // The sample's user 1 has orders_7d 3 and spend_7d 120.5 from 2026-11-01, inside the view's 2d ttl.
        Assert.Equal(["user_id", "event_timestamp", "amount", "hour", "user_stats__orders_7d", "order_context__amount_over_spend", "order_context__busy_night"], names);
        Assert.Equal(3L, Convert.ToInt64(rows.Reader.GetValue(names.IndexOf("user_stats__orders_7d")), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(10.0 / 120.5, rows.Reader.GetDouble(names.IndexOf("order_context__amount_over_spend")));
        Assert.True(rows.Reader.GetBoolean(names.IndexOf("order_context__busy_night")));
        Assert.False(await rows.Reader.ReadAsync());
    }

    [Fact]
    public async Task Plan_warns_at_its_line_that_write_to_online_store_is_not_acted_on_yet()
    {
        using var repo = OnDemandRepository.Create();
        var text = OnDemandRepository.Definitions.Replace("write_to_online_store: false", "write_to_online_store: true", StringComparison.Ordinal);
        repo.Write(OnDemandRepository.File, text);
        await using var store = FeatureStore.Open(repo.Root);

        var plan = await store.PlanAsync();

        var warning = Assert.Single(plan.Warnings, w => w.Message.Contains("write_to_online_store: true, which is not acted on yet", StringComparison.Ordinal));
        var line = Array.FindIndex(text.Split('\n'), l => l.Contains("write_to_online_store", StringComparison.Ordinal)) + 1;
        Assert.Equal((OnDemandRepository.File, line), (warning.Location?.File, warning.Location?.Line));
        using var unchanged = OnDemandRepository.Create();
        await using var plain = FeatureStore.Open(unchanged.Root);
        Assert.DoesNotContain((await plain.PlanAsync()).Warnings, w => w.Message.Contains("write_to_online_store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_csharp_builder_gives_the_canonical_form_the_yaml_gives()
    {
        using var repo = OnDemandRepository.Create();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var fromYaml = (await store.GetRegistryAsync()).Definitions.FindOnDemandFeatureView("order_context")!;

        var fromCode = new RepositoryBuilder()
            .OnDemandFeatureView("order_context", v => v
                .Sources("user_stats")
                .RequestField("amount", FeatureType.Float64)
                .RequestField("hour", FeatureType.Int32)
                .Feature("amount_over_spend", FeatureType.Float64, "amount / coalesce(user_stats.spend_7d, 1.0)")
                .Feature("busy_night", FeatureType.Bool, "hour < 6 and user_stats.orders_7d > 2")
                .FunctionFeature("custom_score", FeatureType.Float64, "FraudScore"))
            .Build()
            .OnDemandFeatureViews.Single();

        Assert.Equal(CanonicalJson.Serialize(fromYaml), CanonicalJson.Serialize(fromCode));
    }
}
