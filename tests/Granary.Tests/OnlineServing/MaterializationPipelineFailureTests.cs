using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Materialization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// A failure in any stage of the materialization pipeline (the engine's read, the encoding, the store's write) stops
/// the whole run promptly: the reader stops reading, the failure reported is that stage's own error, classified as
/// the caller sees it, and the watermark stays where it was. Real DuckDB engine and embedded store, with the fault
/// injected by a wrapper around one of them.
/// </summary>
public sealed class MaterializationPipelineFailureTests
{
    private const int Users = 200_000;

    // The pipeline holds at most 4 row batches and 4 write batches (one in flight, two queued, one being encoded):
    // fewer than 10 batches of 10,000 rows beyond the last acknowledged write. Reading every row would be 200,000.
    private const long Bound = 10 * Materializer.DefaultBatchSize;

    private static readonly DateTimeOffset Before = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_failed_engine_read_stops_the_run_as_source_unavailable()
    {
        using var repo = await RepositoryAsync();
        FaultyRows? rows = null;
        await using var store = new FeatureStoreBuilder(repo.Root)
            .WrapOfflineEngine(engine => rows = new FaultyRows(engine) { FailAtRow = 15_000 })
            .Build();
        await store.Online.InitializeAsync();
        await store.Online.SetWatermarkAsync("stats", Before);

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["stats"]));

        var failure = Assert.Single(e.Failures);
        Assert.Equal(ErrorCodes.SourceUnavailable, failure.Error.Code);
        Assert.Contains("the engine lost its file at row 15000", failure.Error.Message, StringComparison.Ordinal);
        Assert.IsType<FaultyRows.EngineReadFailed>(failure.Error.InnerException);
        Assert.Equal(Before, failure.Watermark);
        Assert.Equal(Before, await store.Online.GetWatermarkAsync("stats"));
        Assert.Equal(15_000, rows!.RowsRead);
    }

    [Fact]
    public async Task A_value_the_encoder_refuses_stops_the_run_naming_its_column()
    {
        using var repo = await RepositoryAsync();
        FaultyRows? rows = null;
        await using var store = new FeatureStoreBuilder(repo.Root)
            .WrapOfflineEngine(engine => rows = new FaultyRows(engine) { FailAtRow = 15_000, NaNColumn = 4 })   // b: keys, ts, created, a, b
            .Build();
        await store.Online.InitializeAsync();
        await store.Online.SetWatermarkAsync("stats", Before);

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["stats"]));

        var failure = Assert.Single(e.Failures);
        Assert.Equal(ErrorCodes.InvalidArgument, failure.Error.Code);
        Assert.Contains("column 'b' holds NaN", failure.Error.Message, StringComparison.Ordinal);
        Assert.Contains("not a finite number", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Before, await store.Online.GetWatermarkAsync("stats"));
        Assert.InRange(rows!.RowsRead, 15_000, 15_000 + Bound);
    }

    [Fact]
    public async Task A_failed_store_write_stops_the_run_as_online_store_unavailable()
    {
        using var repo = await RepositoryAsync();
        FaultyRows? rows = null;
        FailingWrites? writes = null;
        await using var store = new FeatureStoreBuilder(repo.Root)
            .WrapOfflineEngine(engine => rows = new FaultyRows(engine))
            .WrapOnlineStore(online => writes = new FailingWrites(online) { FailAtWrite = 2 })
            .Build();
        await store.Online.InitializeAsync();
        await store.Online.SetWatermarkAsync("stats", Before);

        var e = await Assert.ThrowsAsync<MaterializationException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["stats"]));

        var failure = Assert.Single(e.Failures);
        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, failure.Error.Code);
        Assert.Contains("went away during write 2", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Before, await store.Online.GetWatermarkAsync("stats"));
        Assert.InRange(rows!.RowsRead, 1, Bound + Materializer.DefaultBatchSize);
        Assert.InRange(writes!.Writes, 2, 2 + MaterializationPipeline.WritesInFlight);
    }

    [Fact]
    public async Task Without_a_fault_the_same_run_reads_every_row_and_moves_the_watermark()
    {
        using var repo = await RepositoryAsync();
        FaultyRows? rows = null;
        await using var store = new FeatureStoreBuilder(repo.Root)
            .WrapOfflineEngine(engine => rows = new FaultyRows(engine))
            .Build();
        await store.Online.InitializeAsync();
        await store.Online.SetWatermarkAsync("stats", Before);

        var result = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["stats"]));

        Assert.Equal(Users, result.Rows);
        Assert.Equal(Users, result.Written);
        Assert.Equal(Users, rows!.RowsRead);
        Assert.Equal(End, await store.Online.GetWatermarkAsync("stats"));
    }

    private static async Task<TempRepository> RepositoryAsync()
    {
        var repo = new TempRepository();
        repo.Write("granary.yaml", "project: pipeline\nonline_store: {type: embedded}\n")
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: events, type: file, path: data/events.parquet, timestamp_field: ts, created_timestamp_column: created}
                feature_views:
                  - name: stats
                    entities: [user]
                    source: events
                    schema: [{name: a, dtype: int64}, {name: b, dtype: float64}, {name: c, dtype: string}]
                """);
        var path = Path.Combine(repo.Root, "data", "events.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SET TimeZone = 'UTC';
                COPY (
                    SELECT i::BIGINT AS user_id,
                           TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds((i % 86400)::BIGINT) AS ts,
                           TIMESTAMPTZ '2026-01-02 00:00:00+00' AS created,
                           (i * 7)::BIGINT AS a, i::DOUBLE / 3 AS b, 'v' || i::VARCHAR AS c
                    FROM range({Users}) t(i)
                ) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        return repo;
    }
}
