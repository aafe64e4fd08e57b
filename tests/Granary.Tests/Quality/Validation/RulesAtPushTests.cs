using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Push;
using static Granary.Tests.Quality.Validation.RuleRepository;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// Each rule kind at push, on the embedded store with DuckDB offline: a row failing an error rule refuses the push
/// whole (422) and nothing is written, online or offline; with allow_partial only the passing rows are written; warn
/// rules never block.
/// </summary>
public sealed class RulesAtPushTests
{
    public static TheoryData<string> AllKinds => [.. Kinds];

    public static TheoryData<string> RowKinds => [.. Kinds.Where(k => k != "max_null_fraction")];

    private static async Task<FeatureStore> OpenAsync(Infrastructure.TempRepository repo)
    {
        var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        return store;
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task A_push_with_a_row_failing_an_error_rule_is_refused_whole_and_writes_nothing(string kind)
    {
        using var repo = Create(kind);
        await using var store = await OpenAsync(repo);
        var (field, _) = RuleOf(kind);

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest
        {
            PushSourceName = "scores_push", Columns = Columns([Good, .. Failing(kind)]), To = PushTarget.OnlineAndOffline,
        }));

        Assert.Equal(ErrorCodes.Unprocessable, e.Code);
        Assert.Contains($"feature view 'scores', feature '{field}', rule '{kind}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(kind == "max_null_fraction" ? "1 of 2 values are null" : $"{Failing(kind).Length} of {1 + Failing(kind).Length} rows fail (e.g. df.{field}[1] =", e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { false, false }, await ServedAsync(store, 1, 2));
        Assert.Equal("", PushLog(repo));
    }

    [Theory]
    [MemberData(nameof(RowKinds))]
    public async Task With_allow_partial_only_the_rows_that_pass_are_written_online_and_offline(string kind)
    {
        using var repo = Create(kind);
        await using var store = await OpenAsync(repo);
        var failing = Failing(kind);

        var result = await store.PushAsync(new PushRequest
        {
            PushSourceName = "scores_push", Columns = Columns([Good, .. failing]), To = PushTarget.OnlineAndOffline, AllowPartial = true,
        });

        Assert.Equal((1, failing.Length), (result.Rows, result.RejectedRows));
        var violation = Assert.Single(result.Validation);
        Assert.Equal((kind, failing.Length, 1L + failing.Length, ValidationSeverity.Error), (violation.Rule, (int)violation.Failed, violation.Total, violation.Severity));
        Assert.Equal(new[] { true, false }, await ServedAsync(store, 1, 2));
        var log = PushLog(repo);
        Assert.Contains("1111", log, StringComparison.Ordinal);
        Assert.DoesNotContain("2222", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_allow_partial_a_failing_max_null_fraction_still_refuses_the_push_whole()
    {
        using var repo = Create("max_null_fraction");
        await using var store = await OpenAsync(repo);

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest
        {
            PushSourceName = "scores_push", Columns = Columns([Good, .. Failing("max_null_fraction")]), To = PushTarget.OnlineAndOffline, AllowPartial = true,
        }));

        Assert.Equal(ErrorCodes.Unprocessable, e.Code);
        Assert.Contains("dropping rows cannot mend", e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { false, false }, await ServedAsync(store, 1, 2));
        Assert.Equal("", PushLog(repo));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task A_warn_rule_writes_every_row_and_counts_the_failures(string kind)
    {
        using var repo = Create(kind, severity: "warn");
        await using var store = await OpenAsync(repo);
        var failing = Failing(kind);

        var result = await store.PushAsync(new PushRequest { PushSourceName = "scores_push", Columns = Columns([Good, .. failing]), To = PushTarget.OnlineAndOffline });

        Assert.Equal((1 + failing.Length, 0), (result.Rows, result.RejectedRows));
        var violation = Assert.Single(result.Validation);
        Assert.Equal((kind, ValidationSeverity.Warn, failing.Length), (violation.Rule, violation.Severity, (int)violation.Failed));
        Assert.Equal(new[] { true, true }, await ServedAsync(store, 1, 2));
        Assert.Contains("2222", PushLog(repo), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_that_all_pass_are_pushed_with_nothing_reported()
    {
        using var repo = Create("range");
        await using var store = await OpenAsync(repo);

        var result = await store.PushAsync(new PushRequest { PushSourceName = "scores_push", Columns = Columns([Good]) });

        Assert.Equal((1, 0), (result.Rows, result.RejectedRows));
        Assert.Empty(result.Validation);
        Assert.Equal(new[] { true }, await ServedAsync(store, 1));
    }
}
