using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Materialization;
using static Granary.Tests.Quality.Validation.RuleRepository;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// Each rule kind at materialization, from a CSV source through DuckDB into the embedded online store: the latest row
/// of an entity failing an error rule is not written and is reported with its entity and value; unique refuses an
/// entity whose latest row is tied with another at its event time; max_null_fraction over the run's rows fails the
/// view before its watermark moves.
/// </summary>
public sealed class RulesAtMaterializationTests
{
    private static readonly DateTimeOffset End = new(2026, 11, 6, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> RowKinds => [.. Kinds.Where(k => k != "max_null_fraction")];

    private static async Task<FeatureStore> OpenAsync(Infrastructure.TempRepository repo)
    {
        var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        return store;
    }

    [Theory]
    [MemberData(nameof(RowKinds))]
    public async Task An_entity_whose_latest_row_fails_an_error_rule_is_not_written_and_is_reported(string kind)
    {
        using var repo = Create(kind, csvRows: [Good, .. Failing(kind)]);
        await using var store = await OpenAsync(repo);
        var (field, _) = RuleOf(kind);

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["scores"]));

        Assert.Equal(new[] { true, false }, await ServedAsync(store, 1, 2));
        Assert.Equal((2L, 1L, 1L), (result.Rows, result.Written, result.Rejected));
        var violation = Assert.Single(result.Validation);
        Assert.Equal((field, kind, ValidationSeverity.Error, 1L, 2L), (violation.Feature, violation.Rule, violation.Severity, violation.Failed, violation.Total));
        Assert.Equal("user_id=2", violation.ExampleEntity);
        Assert.Equal(End, await store.Online.GetWatermarkAsync("scores"));
    }

    [Fact]
    public async Task Unique_passes_an_entity_whose_older_rows_share_a_time_but_whose_latest_row_is_alone()
    {
        Row[] rows = [Good, new(2, "2026-11-01T00:00:00Z", 1, 7, 0.1, "US"), new(2, "2026-11-01T00:00:00Z", 1, 8, 0.2, "US"), new(2, Time, 1, 9, 0.3, "US")];
        using var repo = Create("unique", csvRows: rows);
        await using var store = await OpenAsync(repo);

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["scores"]));

        Assert.Empty(result.Validation);
        Assert.Equal(new[] { true, true }, await ServedAsync(store, 1, 2));
    }

    [Theory]
    [MemberData(nameof(RowKinds))]
    public async Task A_warn_rule_writes_every_entity_and_counts_the_failure(string kind)
    {
        using var repo = Create(kind, severity: "warn", csvRows: [Good, .. Failing(kind)]);
        await using var store = await OpenAsync(repo);

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["scores"]));

        Assert.Equal(new[] { true, true }, await ServedAsync(store, 1, 2));
        Assert.Equal(0, result.Rejected);
        Assert.Equal((ValidationSeverity.Warn, 1L), (Assert.Single(result.Validation).Severity, result.Validation[0].Failed));
    }

    [Fact]
    public async Task Too_many_nulls_fail_the_view_before_its_watermark_moves()
    {
        using var repo = Create("max_null_fraction", csvRows: [Good, .. Failing("max_null_fraction")]);
        await using var store = await OpenAsync(repo);

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["scores"]));

        var failure = Assert.Single(e.Failures);
        Assert.Equal(ErrorCodes.Unprocessable, failure.Error.Code);
        Assert.Contains("feature 'ctr' is null in 1 of 2 rows", failure.Error.Message, StringComparison.Ordinal);
        Assert.Null(await store.Online.GetWatermarkAsync("scores"));
    }

    [Fact]
    public async Task A_share_of_nulls_within_the_rule_materializes_and_is_not_reported()
    {
        Row[] rows = [Good, new(2, Time, 1, 5, 0.1, "US"), new(3, Time, 1, 6, null, "US")];
        using var repo = Create("max_null_fraction", csvRows: rows);
        await using var store = await OpenAsync(repo);

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["scores"]));

        Assert.Empty(result.Validation);
        Assert.Equal(new[] { true, true, true }, await ServedAsync(store, 1, 2, 3));
    }
}
