using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>Each kind of mistake is reported with the file and line where it was written, all in one run.</summary>
public sealed class RepositoryValidationTests
{
    private static async Task<DefinitionException> PlanFailsAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    private static Diagnostic Single(DefinitionException e, string messagePart)
    {
        var matches = e.Diagnostics.Where(d => d.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing '{messagePart}', got:\n{string.Join("\n", e.Diagnostics)}");
        return matches[0];
    }

    [Fact]
    public async Task Valid_repository_plans_without_mistakes()
    {
        using var repo = SampleRepository.Create();
        await using var store = FeatureStore.Open(repo.Root);
        var plan = await store.PlanAsync();
        Assert.Equal(8, plan.Changes.Count);
    }

    [Fact]
    public async Task Every_mistake_is_listed_with_its_file_and_line()
    {
        using var repo = SampleRepository.Create();
        repo.Write("broken.yaml", """
            entities:
              - name: user
                join_keys: [user_id]
                value_type: int64
            feature_views:
              - name: bad_view
                entities: [usr]
                ttl: 3 days
                source: nowhere
                schema:
                  - {name: x, dtype: int63}
              - name: missing_column
                entities: [user]
                source: user_stats_source
                schema:
                  - {name: refunds_7d, dtype: int64}
            feature_services:
              - name: broken_service
                features: [user_stats:orders_30d, ghost_view:x]
            """);

        var e = await PlanFailsAsync(repo);

        var duplicate = Single(e, "Duplicate entity 'user'");
        // Files are read in name order, so broken.yaml holds the first 'user' and entities.yaml the duplicate.
        Assert.Equal(new SourceLocation("entities.yaml", 2, 11), duplicate.Location);
        Assert.Contains("first defined at broken.yaml:2", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.DuplicateName, duplicate.Code);

        var unknownEntity = Single(e, "entity 'usr'");
        Assert.Equal(7, unknownEntity.Location!.Value.Line);
        Assert.Contains("did you mean 'user'", unknownEntity.Message, StringComparison.Ordinal);

        Assert.Equal(8, Single(e, "Invalid ttl '3 days'").Location!.Value.Line);
        Assert.Equal(9, Single(e, "source 'nowhere'").Location!.Value.Line);
        Assert.Equal(11, Single(e, "Unknown dtype 'int63'").Location!.Value.Line);

        var missingColumn = Single(e, "field 'refunds_7d'");
        Assert.Equal(16, missingColumn.Location!.Value.Line);
        Assert.Contains("has no column 'refunds_7d'", missingColumn.Message, StringComparison.Ordinal);

        var missingFeature = Single(e, "feature 'orders_30d'");
        Assert.Equal(new SourceLocation("broken.yaml", 19, 16), missingFeature.Location);
        Assert.Contains("did you mean 'user_stats:orders_7d'", missingFeature.Message, StringComparison.Ordinal);
        Assert.Equal(19, Single(e, "feature view 'ghost_view'").Location!.Value.Line);
        Assert.All(e.Diagnostics, d => Assert.NotNull(d.Location));
    }

    [Fact]
    public async Task Unknown_keys_are_reported_with_a_suggestion()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("    ttl: 2d", "    tll: 2d", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Single(e, "Unknown key 'tll'");
        Assert.Contains("did you mean 'ttl'", d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("features/shop.yaml", 18, 5), d.Location);
    }

    [Fact]
    public async Task A_yaml_syntax_error_names_the_line()
    {
        using var repo = SampleRepository.Create();
        repo.Write("oops.yaml", "entities:\n  - name: a\n    join_keys: [a\n  - name: b\n");

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("oops.yaml", d.Location!.Value.File);
        Assert.Contains("YAML syntax error", d.Message, StringComparison.Ordinal);
        Assert.InRange(d.Location!.Value.Line, 3, 5);
    }

    [Fact]
    public async Task A_missing_source_file_is_reported_at_its_path()
    {
        using var repo = SampleRepository.Create();
        File.Delete(Path.Combine(repo.Root, "data/items.csv"));

        var e = await PlanFailsAsync(repo);

        var d = Single(e, "items.csv");
        Assert.Equal(ErrorCodes.SourceUnavailable, d.Code);
        Assert.Equal(new SourceLocation("features/shop.yaml", 12, 11), d.Location);
    }

    [Fact]
    public async Task A_join_key_column_missing_from_the_source_is_reported()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("field_mapping: {sku: item_id}", "field_mapping: {code: item_id}", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        Assert.Contains("no column 'code' for join key 'item_id'", Single(e, "join key 'item_id'").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_files_without_definition_lists_are_ignored()
    {
        using var repo = SampleRepository.Create();
        repo.Write("ci/workflow.yaml", "jobs:\n  build: {runs-on: linux}\n");
        await using var store = FeatureStore.Open(repo.Root);

        var plan = await store.PlanAsync();

        Assert.Equal(8, plan.Changes.Count);
    }

    [Fact]
    public async Task A_file_with_misspelt_top_level_keys_is_an_error_not_skipped()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("feature_views:", "featureviews:", StringComparison.Ordinal).Replace("sources:", "source:", StringComparison.Ordinal).Replace("feature_services:", "feature_service:", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        Assert.Contains(e.Diagnostics, d => d.Message.Contains("'featureviews'; did you mean 'feature_views'", StringComparison.Ordinal) && d.Location!.Value.Line == 15);
    }

    [Fact]
    public async Task Views_and_services_without_features_are_errors()
    {
        using var repo = SampleRepository.Create();
        repo.Write("empty.yaml", "feature_views:\n  - name: nothing\n    source: user_stats_source\n    schema: []\nfeature_services:\n  - name: hollow\n    features: []\n");

        var e = await PlanFailsAsync(repo);

        Assert.Equal(4, Single(e, "Feature view 'nothing' has no features").Location!.Value.Line);
        Assert.Equal(7, Single(e, "Feature service 'hollow' lists no features").Location!.Value.Line);
    }
}
