using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Governance.Serving;

/// <summary>
/// Plan checks a feature service's version-pinned references against the view's versions as the apply leaves them:
/// after <c>stats</c> 1.0.0 (score) becomes 2.0.0 (score retyped, bonus added), <c>stats@v1:bonus</c> and
/// <c>stats@3.0.0:score</c> are refused with the service's file and line, while <c>stats@v1:score</c> and
/// <c>stats@v2:bonus</c> (a version this very apply adds) plan.
/// </summary>
public sealed class PinnedServiceValidationTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_service_pinned_to_a_version_without_the_feature_is_refused_with_its_file_and_line()
    {
        await AppliedAtVersion1Async();
        _repo.Write("services.yaml", """
            feature_services:
              - name: fine
                features: [stats@v1:score, stats@v2:bonus]
              - name: broken
                features:
                  - stats@v1:bonus
                  - stats@3.0.0:score
            """);

        await using var store = FeatureStore.Open(_repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        Assert.Equal(2, e.Diagnostics.Count);
        var missing = Assert.Single(e.Diagnostics, d => d.Message.Contains("'stats@v1:bonus'", StringComparison.Ordinal));
        Assert.Equal(ErrorCodes.UnknownReference, missing.Code);
        Assert.Contains("version 1.0.0 of feature view 'stats' has no feature 'bonus'; it has score", missing.Message, StringComparison.Ordinal);
        Assert.EndsWith("services.yaml", missing.Location!.Value.File, StringComparison.Ordinal);
        Assert.Equal(6, missing.Location.Value.Line);
        var unknown = Assert.Single(e.Diagnostics, d => d.Message.Contains("'stats@3.0.0:score'", StringComparison.Ordinal));
        Assert.Contains("has no version 3.0.0; it has 2.0.0, 1.0.0", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(7, unknown.Location!.Value.Line);
    }

    [Fact]
    public async Task Services_pinned_to_versions_that_have_their_features_apply()
    {
        await AppliedAtVersion1Async();
        _repo.Write("services.yaml", """
            feature_services:
              - {name: fine, features: [stats@v1:score, stats@1.0.0:score, stats@v2:bonus]}
            """);

        await using var store = FeatureStore.Open(_repo.Root);
        await store.ApplyAsync();

        var registry = await store.GetRegistryAsync();
        Assert.NotNull(registry.Definitions.FindFeatureService("fine"));
    }

    // stats at 1.0.0 with score (int64), then the definitions of 2.0.0 (score float64, bonus added) written, not applied.
    private async Task AppliedAtVersion1Async()
    {
        _repo.Write("granary.yaml", "project: pinned\nregistry: data/registry.db\nonline_store: {type: embedded}\n")
            .Write("data/events.csv", "user_id,event_timestamp,score,bonus\n1,2026-11-01T00:00:00Z,3,10\n")
            .Write("features.yaml", View("{name: score, dtype: int64}"));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        _repo.Write("features.yaml", View("{name: score, dtype: float64}", "{name: bonus, dtype: int64}"));
    }

    private static string View(params string[] fields) => $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: events, type: file, path: data/events.csv, timestamp_field: event_timestamp}
        feature_views:
          - name: stats
            entities: [user]
            ttl: 0
            source: events
            schema: [{{string.Join(", ", fields)}}]

        """;
}
