using Granary.Contracts.Errors;
using Granary.Materialization;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>The store logs each view it materialized (7001) and each that failed (7002) through its builder's logger factory.</summary>
public sealed class FeatureStoreLogTests
{
    private static readonly DateTimeOffset End = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_materialized_view_is_logged_with_what_was_read_and_written()
    {
        using var repo = SampleRepository.Create();
        var log = new CapturedLog();
        await using var store = Open(repo, log);
        await store.ApplyAsync();

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["user_stats"]));

        var entry = Assert.Single(log.WithId(7001));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("Materialized user_stats", entry.Message, StringComparison.Ordinal);
        Assert.Contains($"{result.Rows} rows read, {result.Written} written", entry.Message, StringComparison.Ordinal);
        Assert.Empty(log.WithId(7002));
    }

    [Fact]
    public async Task A_view_that_fails_is_logged_as_a_warning_with_its_code()
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", """
            user_id,event_timestamp,created,orders_7d,spend_7d
            2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,0,NaN
            """);
        var log = new CapturedLog();
        await using var store = Open(repo, log);
        await store.ApplyAsync();

        await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["user_stats"]));

        var entry = Assert.Single(log.WithId(7002));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("user_stats", entry.Message, StringComparison.Ordinal);
        Assert.Contains(ErrorCodes.InvalidArgument, entry.Message, StringComparison.Ordinal);
        Assert.NotNull(entry.Exception);
        Assert.Empty(log.WithId(7001));
    }

    private static FeatureStore Open(TempRepository repo, CapturedLog log) =>
        new FeatureStoreBuilder(repo.Root).UseLoggerFactory(new OneLogFactory(log)).Build();

    private sealed class OneLogFactory(ILogger log) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => log;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
