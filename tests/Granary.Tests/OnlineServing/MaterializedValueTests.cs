using Granary.Materialization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnlineServing;

/// <summary>Materialization converts through the same checks as a push: a value no store may hold stops the view, named with its column.</summary>
public sealed class MaterializedValueTests
{
    [Fact]
    public async Task A_nan_in_the_source_stops_the_view_naming_its_column()
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", """
            user_id,event_timestamp,created,orders_7d,spend_7d
            1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
            2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,0,NaN
            """);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats"]));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("'user_stats'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'spend_7d'", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a finite number", e.Message, StringComparison.Ordinal);
        Assert.Equal("user_stats", Assert.Single(e.Failures).View);
        Assert.Empty(e.Completed);
    }

    [Theory]
    [InlineData("created", "2026-11-01T00:00:00Z", "infinity")]
    [InlineData("created", "2026-11-01T00:00:00Z", "-infinity")]
    public async Task An_infinite_timestamp_in_the_source_stops_the_view_naming_its_column(string column, string eventTime, string created)
    {
        using var repo = SampleRepository.Create().Write("data/user_stats.csv", $"""
            user_id,event_timestamp,created,orders_7d,spend_7d
            1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
            2,{eventTime},{created},0,1.5
            """);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats"]));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("'user_stats'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{column}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("infinite", e.Message, StringComparison.Ordinal);
    }
}
