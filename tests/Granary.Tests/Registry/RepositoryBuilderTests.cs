using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Loading;
using Granary.Registry.Serialization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

public sealed class RepositoryBuilderTests
{
    private static DefinitionSet SampleInCode() => new RepositoryBuilder()
        .Entity("user", e => e.JoinKeys("user_id").ValueType(FeatureType.Int64).Description("A shopper."))
        .Entity("item", e => e.JoinKeys("item_id").ValueType(FeatureType.String))
        .FileSource("user_stats_source", "data/user_stats.csv", s => s.TimestampField("event_timestamp").CreatedTimestampColumn("created"))
        .PushSource("user_stats_push", batchSource: "user_stats_source")
        .FileSource("item_source", "data/items.csv", s => s.TimestampField("ts").MapField("sku", "item_id"))
        .FeatureView("user_stats", v => v.Entities("user").Ttl(TimeSpan.FromDays(2)).Source("user_stats_source")
            .Feature("orders_7d", FeatureType.Int64).Feature("spend_7d", FeatureType.Float64).Tag("team", "growth"))
        .FeatureView("item_info", v => v.Entities("item").Source("item_source").Online(false)
            .Feature("price", FeatureType.Float64).Feature("category", FeatureType.String))
        .FeatureService("recommender", ["user_stats:orders_7d", "item_info:price"])
        .Build();

    [Fact]
    public void Code_first_definitions_have_the_same_canonical_form_as_yaml()
    {
        using var repo = SampleRepository.Create();
        var fromYaml = RepositoryLoader.Load(repo.Root);
        Assert.Empty(fromYaml.Diagnostics);

        Assert.Equal(CanonicalJson.Serialize("shop", fromYaml.Definitions), CanonicalJson.Serialize("shop", SampleInCode()));
    }

    [Fact]
    public async Task Applying_code_first_definitions_over_yaml_ones_plans_no_change()
    {
        using var repo = SampleRepository.Create();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var plan = await store.PlanAsync(SampleInCode());

        Assert.False(plan.HasChanges);
    }

    [Fact]
    public async Task Validation_errors_in_code_point_at_the_calling_line()
    {
        using var repo = SampleRepository.Create();
        await using var store = FeatureStore.Open(repo.Root);
        var builder = new RepositoryBuilder()
            .Entity("user")
            .FeatureView("v", v => v.Entities("customer").Source("nowhere").Feature("x", FeatureType.Int32));

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync(builder.Build(), builder.Locations));

        Assert.All(e.Diagnostics, d => Assert.EndsWith("RepositoryBuilderTests.cs", d.Location!.Value.File, StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("entity 'customer'", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("source 'nowhere'", StringComparison.Ordinal));
    }

    [Fact]
    public void Canonical_json_reads_back_to_the_same_canonical_json()
    {
        var definitions = SampleInCode();
        foreach (var definition in definitions.All())
        {
            var json = CanonicalJson.Serialize(definition);
            Assert.Equal(json, CanonicalJson.Serialize(CanonicalJsonReader.Read(definition.Kind, json)));
        }
    }

    [Fact]
    public void Tag_order_does_not_change_the_canonical_form()
    {
        var a = new RepositoryBuilder().Entity("u", e => e.Tag("a", "1").Tag("b", "2")).Build().Entities[0];
        var b = new RepositoryBuilder().Entity("u", e => e.Tag("b", "2").Tag("a", "1")).Build().Entities[0];

        Assert.Equal(CanonicalJson.Hash(CanonicalJson.Serialize(a)), CanonicalJson.Hash(CanonicalJson.Serialize(b)));
    }
}
