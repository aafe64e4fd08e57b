using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>Materialization that fails part-way says what it did, and an END before a watermark is refused up front.</summary>
public sealed class MaterializeCliTests
{
    private const string Baskets = """
        sources:
          - name: basket_source
            type: file
            path: data/baskets.csv
            timestamp_field: event_timestamp
        feature_views:
          - name: basket_stats
            entities: [user]
            ttl: 0
            source: basket_source
            schema:
              - {name: basket_size, dtype: int64}
        """;

    private static readonly DateTimeOffset End = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The sample with a second online view, basket_stats, whose data is broken after the apply.</summary>
    private static async Task<TempRepository> BrokenBasketsAsync()
    {
        var repo = SampleRepository.Create()
            .Write("features/baskets.yaml", Baskets)
            .Write("data/baskets.csv", "user_id,event_timestamp,basket_size\n1,2026-11-01T00:00:00Z,4\n");
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
        repo.Write("data/baskets.csv", "user_id,event_timestamp,basket_size\n1,2026-11-01T00:00:00Z,lots\n");
        return repo;
    }

    [Fact]
    public async Task A_view_that_fails_is_named_with_its_unmoved_watermark_the_others_are_written_and_the_exit_is_non_zero()
    {
        using var repo = await BrokenBasketsAsync();

        var (exit, output, err) = await CliRunner.RunAsync("materialize", "2026-01-01", "2026-12-01", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("user_stats: 2 entities", output, StringComparison.Ordinal);
        Assert.Contains("watermark now 2026-12-01 00:00:00Z", output, StringComparison.Ordinal);
        Assert.DoesNotContain("basket_stats", output, StringComparison.Ordinal);
        Assert.Contains("error: basket_stats: ", err, StringComparison.Ordinal);
        Assert.Contains("Its watermark was never set; running again is safe.", err, StringComparison.Ordinal);
        Assert.Contains("Materialization failed for 1 of 2 feature views; the watermarks of user_stats moved to 2026-12-01 00:00:00Z.", err, StringComparison.Ordinal);
        Assert.Equal(End, await WatermarkAsync(repo, "user_stats"));
        Assert.Null(await WatermarkAsync(repo, "basket_stats"));
    }

    [Fact]
    public async Task A_failed_view_keeps_the_watermark_an_earlier_run_gave_it()
    {
        using var repo = await BrokenBasketsAsync();
        repo.Write("data/baskets.csv", "user_id,event_timestamp,basket_size\n1,2026-11-01T00:00:00Z,4\n");
        Assert.Equal(0, (await CliRunner.RunAsync("materialize", "2026-01-01", "2026-11-15", "--repo", repo.Root)).Exit);
        // A later row, inside the interval the incremental run reads, that does not fit the schema.
        repo.Write("data/baskets.csv", "user_id,event_timestamp,basket_size\n1,2026-11-01T00:00:00Z,4\n1,2026-11-20T00:00:00Z,lots\n");

        var (exit, _, err) = await CliRunner.RunAsync("materialize-incremental", "2026-12-01", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("Its watermark stays at 2026-11-15 00:00:00Z", err, StringComparison.Ordinal);
        Assert.Equal(End, await WatermarkAsync(repo, "user_stats"));
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), await WatermarkAsync(repo, "basket_stats"));
    }

    [Fact]
    public async Task Materialize_incremental_to_an_end_before_a_watermark_names_the_view_and_its_watermark_and_writes_nothing()
    {
        using var repo = SampleRepository.Create()
            .Write("features/baskets.yaml", Baskets)
            .Write("data/baskets.csv", "user_id,event_timestamp,basket_size\n1,2026-11-01T00:00:00Z,4\n");
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync("materialize", "2026-01-01", "2026-12-01", "--views", "user_stats", "--repo", repo.Root)).Exit);

        var (exit, output, err) = await CliRunner.RunAsync("materialize-incremental", "2026-11-20", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("END 2026-11-20T00:00:00Z is before the watermark of feature view 'user_stats' (watermark 2026-12-01T00:00:00Z)", err, StringComparison.Ordinal);
        Assert.Null(await WatermarkAsync(repo, "basket_stats"));
        Assert.Equal(End, await WatermarkAsync(repo, "user_stats"));
    }

    private static async Task<DateTimeOffset?> WatermarkAsync(TempRepository repo, string view)
    {
        await using var store = FeatureStore.Open(repo.Root);
        await store.Online.InitializeAsync();
        return await store.Online.GetWatermarkAsync(view);
    }
}
