using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Composition;

/// <summary>Each store section's keys are checked by its provider when the store is built, with granary.yaml's lines.</summary>
public sealed class StoreOptionsValidationTests
{
    private static TempRepository WithConfig(string stores) =>
        SampleRepository.Create().Write("granary.yaml", $"project: shop\n{stores}");

    private static DefinitionException BuildFails(TempRepository repo) =>
        Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(repo.Root).UseVariables(_ => null).Build());

    [Fact]
    public void A_misspelled_key_of_a_known_option_is_an_error_with_a_did_you_mean_at_its_line()
    {
        using var repo = WithConfig("""
            online_store:
              type: redis
              conection: localhost:6379
            """);

        var e = BuildFails(repo);

        Assert.Contains(
            "granary.yaml:4:3: Unknown key 'conection' in 'online_store' of type redis; did you mean 'connection'?",
            e.Diagnostics.Select(d => d.ToString()));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidConfig, d.Code));
    }

    [Fact]
    public void A_misspelled_optional_key_is_an_error_too()
    {
        using var repo = WithConfig("""
            registry: {type: sqlite, pth: data/r.db}
            online_store: {type: embedded, pth: data/o.db}
            """);

        var e = BuildFails(repo);

        var lines = e.Diagnostics.Select(d => (d.Location!.Value.Line, d.Message)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains((2, "Unknown key 'pth' in 'registry' of type sqlite; did you mean 'path'?"), lines);
        Assert.Contains((3, "Unknown key 'pth' in 'online_store' of type embedded; did you mean 'path'?"), lines);
    }

    [Fact]
    public async Task A_key_no_option_is_near_is_a_warning_that_plan_and_the_store_show()
    {
        using var repo = WithConfig("""
            offline_store:
              type: duckdb
              feast_repo_path: ../feast
            """);

        await using var store = new FeatureStoreBuilder(repo.Root).Build();
        var plan = await store.PlanAsync();

        var warning = Assert.Single(store.ConfigurationWarnings);
        Assert.Equal(("granary.yaml", 4), (warning.Location!.Value.File, warning.Location.Value.Line));
        Assert.Contains("'offline_store' of type duckdb does not use 'feast_repo_path'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(warning, plan.Warnings);
    }

    [Fact]
    public void A_required_option_missing_is_an_error_at_its_section()
    {
        using var repo = WithConfig("""
            registry:
              type: postgres
            offline_store: {type: postgres}
            """);

        var e = BuildFails(repo);

        var lines = e.Diagnostics.Select(d => (d.Location!.Value.Line, d.Message)).ToList();
        Assert.Contains((3, "'registry' of type postgres needs 'connection'."), lines);
        Assert.Contains((4, "'offline_store' of type postgres needs 'connection'."), lines);
    }

    [Fact]
    public void An_unset_variable_in_an_option_is_reported_once_as_the_variable()
    {
        using var repo = WithConfig("""
            online_store: {type: redis, connection: "${REDIS_URL}"}
            """);

        var e = BuildFails(repo);

        var only = Assert.Single(e.Diagnostics);
        Assert.Contains("REDIS_URL", only.Message, StringComparison.Ordinal);
    }
}
