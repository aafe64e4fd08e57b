using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Catalog;
using Granary.Registry.Loading;
using Granary.Registry.Serialization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary>The governed keys of schema fields and views in YAML and C#: read, checked with file and line, stored, and absent from specs that do not use them.</summary>
public sealed class ApplyGovernedKeysYamlTests
{
    private const string Governed = """
        feature_views:
          - name: item_quality
            entities: [item]
            source: item_source
            feature_type: fundamental
            schema:
              - name: price
                dtype: float64
                owner: pricing-team
                feature_type: raw
                transformation: {transformation_type: sql, code: "price * 1.0", parameters: {currency: EUR, digits: 2}}
                validation:
                  - {rule: range, min: 0, max: 1000, severity: warn}
                  - {rule: not_null}
                  - {rule: max_null_fraction, value: 0.05}
                  - {rule: unique}
                  - {rule: expression, expr: "price >= 0"}
                upstream_features: [item_info:price]
              - name: category
                dtype: string
                validation:
                  - {rule: enum, values: [books, games]}
                  - {rule: regex, pattern: "^[a-z]+$"}
        """;

    private static async Task<DefinitionException> PlanFailsAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    private static int LineOf(string yaml, string marker) => Array.FindIndex(yaml.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal)) + 1;

    [Fact]
    public async Task Governed_keys_are_stored_with_the_view_and_reach_the_catalog()
    {
        using var repo = SampleRepository.Create();
        repo.Write("governed.yaml", Governed);
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var reader = FeatureStore.Open(repo.Root);
        var contents = await reader.GetRegistryAsync();
        var view = contents.Definitions.FindFeatureView("item_quality")!;
        Assert.Equal("fundamental", view.Category);
        var price = view.Schema.Single(f => f.Name == "price");
        Assert.Equal("pricing-team", price.Owner);
        Assert.Equal("raw", price.Category);
        Assert.Equal("sql", price.Transformation!.TransformationType);
        Assert.Equal("EUR", price.Transformation.Parameters["currency"].GetString());
        Assert.Equal(2, price.Transformation.Parameters["digits"].GetInt32());
        Assert.Equal(["range", "not_null", "max_null_fraction", "unique", "expression"], price.Validation.Select(r => r.Rule));
        Assert.Equal(["enum", "regex"], view.Schema.Single(f => f.Name == "category").Validation.Select(r => r.Rule));
        Assert.Equal(ValidationSeverity.Warn, price.Validation[0].Severity);
        Assert.Equal(1000, price.Validation[0].Parameters["max"].GetInt32());
        Assert.Equal(0.05, price.Validation[2].Parameters["value"].GetDouble());
        Assert.Equal(["item_info:price"], price.UpstreamFeatures);

        var entry = contents.Catalog.FindEntry("item_quality:price")!;
        Assert.Equal("pricing-team", entry.Metadata.Owner);
        Assert.Equal("raw", entry.Metadata.FeatureType);
        Assert.Equal("float64", entry.Metadata.DataType);
        Assert.Equal(5, entry.Metadata.ValidationRules.Count);
        Assert.False(entry.Metadata.ValidationRules[0].IsBlocking);
        Assert.True(entry.Metadata.ValidationRules[1].IsBlocking);
        Assert.Equal("price * 1.0", entry.Metadata.Transformation!.Code);
        Assert.Equal("fundamental", contents.Catalog.FindEntry("item_quality")!.Metadata.FeatureType);

        // Read back and written again, the spec is byte-identical: a second plan changes nothing.
        Assert.False((await reader.PlanAsync()).HasChanges);
    }

    [Theory]
    [InlineData("feature_type: raw", "feature_type: derivd", "Unknown feature_type 'derivd' for field 'price' of feature view 'item_quality' (did you mean 'derived'?)")]
    [InlineData("feature_type: fundamental", "feature_type: fundamentals", "Unknown feature_type 'fundamentals' for feature view 'item_quality' (did you mean 'fundamental'?)")]
    [InlineData("{rule: unique}", "{rule: uniq}", "Unknown rule 'uniq' in validation[3] of field 'price' of feature view 'item_quality' (did you mean 'unique'?)")]
    [InlineData("{rule: not_null}", "{rule: not_null, max: 3}", "Unknown key 'max' in validation[1] of field 'price' of feature view 'item_quality' (rule 'not_null'); expected one of: rule, severity")]
    [InlineData("{rule: range, min: 0, max: 1000, severity: warn}", "{rule: range, min: 0, max: 1000, severity: fatal}", "Unknown severity 'fatal' in validation[0]")]
    [InlineData("{rule: range, min: 0, max: 1000, severity: warn}", "{rule: range, min: 5, max: 1}", "'min' of validation[0] of field 'price' of feature view 'item_quality' is greater than its 'max'.")]
    [InlineData("{rule: range, min: 0, max: 1000, severity: warn}", "{rule: range, min: low}", "'min' of validation[0] of field 'price' of feature view 'item_quality' must be a number.")]
    [InlineData("{rule: enum, values: [books, games]}", "{rule: enum}", "Rule 'enum' in validation[0] of field 'category' of feature view 'item_quality' needs 'values'")]
    [InlineData("{rule: regex, pattern: \"^[a-z]+$\"}", "{rule: regex, pattern: \"[a-z\"}", "'pattern' of validation[1] of field 'category' of feature view 'item_quality' is not a valid regular expression")]
    [InlineData("{rule: max_null_fraction, value: 0.05}", "{rule: max_null_fraction, value: 5}", "'value' of validation[2] of field 'price' of feature view 'item_quality' must be a fraction between 0 and 1")]
    [InlineData("transformation_type: sql, code", "kind: sql, code", "the transformation of field 'price' of feature view 'item_quality' needs 'transformation_type'.")]
    [InlineData("owner: pricing-team", "owners: pricing-team", "Unknown key 'owners' in field 'price' of feature view 'item_quality'; did you mean 'owner'?")]
    public async Task A_wrong_governed_value_is_reported_at_its_line_in_plain_words(string good, string bad, string message)
    {
        using var repo = SampleRepository.Create();
        var yaml = Governed.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(Governed, yaml);
        repo.Write("governed.yaml", yaml);

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("governed.yaml", d.Location!.Value.File);
        Assert.Equal(LineOf(yaml, bad), d.Location.Value.Line);
    }

    [Fact]
    public async Task Governed_keys_on_a_stream_views_event_columns_are_refused()
    {
        using var repo = SampleRepository.Create();
        var yaml = """
            stream_feature_views:
              - name: spend_stream
                entities: [user]
                source: user_stats_push
                hop: 1m
                aggregations: [{column: spend_7d, function: sum, windows: [1h]}]
                schema:
                  - {name: spend_7d, dtype: float64, owner: growth}
            """;
        repo.Write("stream.yaml", yaml);

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics, d => d.Message.Contains("Unknown key 'owner'", StringComparison.Ordinal));
        Assert.Equal(LineOf(yaml, "owner: growth"), d.Location!.Value.Line);
    }

    [Fact]
    public async Task The_csharp_builder_produces_the_same_spec_as_the_yaml()
    {
        using var repo = SampleRepository.Create();
        repo.Write("governed.yaml", Governed);
        var yaml = RepositoryLoader.Load(await ConfigOf(repo)).Definitions.FindFeatureView("item_quality")!;

        var built = new RepositoryBuilder()
            .FeatureView("item_quality", v => v.Entities("item").Source("item_source").Category("fundamental")
                .Field("price", FeatureType.Float64, f => f.Owner("pricing-team").Category("raw")
                    .Transformation("sql", "price * 1.0", new Dictionary<string, System.Text.Json.JsonElement> { ["digits"] = FieldBuilder.JsonValue(2L), ["currency"] = FieldBuilder.JsonValue("EUR") })
                    .Range(min: 0, max: 1000, ValidationSeverity.Warn).NotNull().MaxNullFraction(0.05).Unique().Expression("price >= 0")
                    .UpstreamFeatures("item_info:price"))
                .Field("category", FeatureType.String, f => f.OneOf(["books", "games"]).Matches("^[a-z]+$")))
            .Build().FindFeatureView("item_quality")!;

        Assert.Equal(CanonicalJson.Serialize(yaml), CanonicalJson.Serialize(built));
    }

    [Fact]
    public void The_csharp_builder_refuses_an_unknown_rule_or_category_at_the_callers_line()
    {
        var e = Assert.Throws<GranaryException>(() => new RepositoryBuilder()
            .FeatureView("v", v => v.Entities("item").Source("s").Field("f", FeatureType.Float64, f => f.Category("vibes").Validate(new FieldValidationRule("sometimes")))));

        Assert.Contains("Unknown feature_type 'vibes' for field 'f' of feature view 'v'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown rule 'sometimes' in validation[0] of field 'f' of feature view 'v'", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ApplyGovernedKeysYamlTests) + ".cs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Specs_without_governed_keys_keep_their_bytes_and_hashes()
    {
        using var repo = SampleRepository.Create();
        var definitions = RepositoryLoader.Load(await ConfigOf(repo)).Definitions;

        // The canonical form of the sample's views as Granary wrote it before governed keys existed.
        Assert.Equal(
            """{"name":"user_stats","description":"","owner":"","tags":{"team":"growth"},"entities":["user"],"schema":[{"name":"orders_7d","dtype":"int64","description":"","tags":{}},{"name":"spend_7d","dtype":"float64","description":"","tags":{}}],"ttl":"2d","source":"user_stats_source","online":true}""",
            CanonicalJson.Serialize(definitions.FindFeatureView("user_stats")!));
        Assert.Equal(
            """{"name":"item_info","description":"","owner":"","tags":{},"entities":["item"],"schema":[{"name":"price","dtype":"float64","description":"","tags":{}},{"name":"category","dtype":"string","description":"","tags":{}}],"ttl":"0","source":"item_source","online":false}""",
            CanonicalJson.Serialize(definitions.FindFeatureView("item_info")!));
    }

    private static async Task<Granary.Registry.Configuration.RepositoryConfig> ConfigOf(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return store.Config;
    }
}
