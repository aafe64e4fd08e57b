using System.Net;
using Granary.Contracts.Errors;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Tests.Faults;

/// <summary>
/// A real PostgreSQL behind a <see cref="TcpFaultProxy"/>, as the registry or as the offline store, with a real
/// feature server in front: while it is blackholed, refused or cut, the server answers 503 with
/// <c>registry_unavailable</c> or <c>source_unavailable</c> (UNAVAILABLE over gRPC) within Npgsql's short timeouts,
/// recovers without a restart when it returns, and a materialization cut mid-stream writes nothing and keeps its
/// watermark, so that a rerun leaves exactly the latest values.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFaultTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Users = 2000;
    private static readonly IReadOnlyList<FaultRow> Rows = FaultRows.Generate(Users, seed: 15);
    private static readonly IReadOnlyDictionary<long, FaultRow> Latest = FaultRows.Latest(Rows, DateTimeOffset.UnixEpoch, FaultRows.End);
    private static readonly IReadOnlyDictionary<long, FaultRow> FirstDay = FaultRows.Latest(Rows, DateTimeOffset.UnixEpoch, FaultRows.Between);
    private static readonly long[] Read = [.. Enumerable.Range(1, 300).Select(u => (long)u)];

    private readonly TempRepository _repo = new();
    private readonly string _variable = "GRANARY_TEST_FAULTS_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private TcpFaultProxy _proxy = null!;
    private string _direct = null!;
    private FaultServer? _server;

    public async Task InitializeAsync()
    {
        _direct = await postgres.CreateDatabaseAsync();
        await LoadRowsAsync(_direct);
        _proxy = TcpFaultProxy.Start(postgres.Host, postgres.Port);

        // Timeouts of seconds (connection, statement, cancellation): a fault must turn into an answer that soon.
        Environment.SetEnvironmentVariable(_variable, new NpgsqlConnectionStringBuilder(_direct)
        {
            Port = _proxy.Port,
            Timeout = 2,
            CommandTimeout = 2,
            CancellationTimeout = 500,
        }.ToString());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _proxy.DisposeAsync();
        Environment.SetEnvironmentVariable(_variable, null);
        _repo.Dispose();
    }

    [Theory]
    [InlineData("blackholed")]
    [InlineData("refusing connections")]
    [InlineData("cutting replies")]
    public async Task While_the_registry_database_is_gone_the_server_answers_503_registry_unavailable_and_recovers_when_it_returns(string fault)
    {
        WriteRepository($"registry: {{type: postgres, connection: \"${{{_variable}}}\"}}", "{name: stats, type: file, path: data/stats.csv, timestamp_field: event_timestamp, created_timestamp_column: created}");
        _repo.Write("data/stats.csv", FaultRows.Csv(Rows));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        Apply(fault);
        _server = await FaultServer.StartAsync(_repo.Root);
        await FaultServer.AssertUnavailableAsync(ErrorCodes.RegistryUnavailable, () => _server.GetAsync("feature-views"));
        await FaultServer.AssertUnavailableAsync(ErrorCodes.RegistryUnavailable, () => _server.OnlineAsync(Read));
        await _server.AssertGrpcUnavailableAsync(ErrorCodes.RegistryUnavailable, Read);

        _proxy.Restore();
        await MaterializeAsync(FaultRows.End);
        await _server.AssertRecoversAsync(Read, Latest);
    }

    [Fact]
    public async Task A_registry_that_goes_away_after_loading_leaves_the_server_serving_its_last_definitions_without_waiting()
    {
        WriteRepository($"registry: {{type: postgres, connection: \"${{{_variable}}}\"}}", "{name: stats, type: file, path: data/stats.csv, timestamp_field: event_timestamp, created_timestamp_column: created}");
        _repo.Write("data/stats.csv", FaultRows.Csv(Rows));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        _server = await FaultServer.StartAsync(_repo.Root);
        await MaterializeAsync(FaultRows.End);
        _proxy.Blackhole();

        // Several refresh intervals (200 ms) pass, each refresh hanging on the blackhole in the background.
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await _server.OnlineAsync(Read).WaitAsync(TimeSpan.FromSeconds(2));
            Assert.Equal(HttpStatusCode.OK, status);
            FaultServer.AssertServes(body, Read, Latest);
            await Task.Delay(250);
        }
    }

    [Theory]
    [InlineData("blackholed")]
    [InlineData("refusing connections")]
    [InlineData("cutting replies")]
    public async Task A_materialization_while_the_offline_database_is_gone_is_503_source_unavailable_writes_nothing_keeps_the_watermark_and_a_rerun_after_restore_writes_exactly_the_latest_values(string fault)
    {
        WriteRepository($"registry: data/registry.db\noffline_store: {{type: postgres, connection: \"${{{_variable}}}\"}}", "{name: stats, type: postgres, table: user_stats_src, timestamp_field: event_timestamp, created_timestamp_column: created}");
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        _server = await FaultServer.StartAsync(_repo.Root);
        await MaterializeAsync(FaultRows.Between);
        await _server.AssertRecoversAsync(Read, FirstDay);

        // The latest rows of 2,000 users are about 130 KB on the wire: a cut of replies after 200 bytes falls in them.
        Apply(fault);
        await FaultServer.AssertUnavailableAsync(ErrorCodes.SourceUnavailable, () => _server.MaterializeAsync(DateTimeOffset.UnixEpoch, FaultRows.End));
        _proxy.Restore();

        Assert.Equal(FaultRows.Between, await WatermarkAsync());
        await _server.AssertRecoversAsync([.. FirstDay.Keys.Order()], FirstDay);
        await MaterializeAsync(FaultRows.End);
        Assert.Equal(FaultRows.End, await WatermarkAsync());
        var (status, body) = await _server.OnlineAsync([.. Latest.Keys.Order()]);
        Assert.Equal(HttpStatusCode.OK, status);
        FaultServer.AssertServes(body, [.. Latest.Keys.Order()], Latest);
    }

    [Fact]
    public async Task A_push_to_the_offline_store_while_it_is_gone_is_503_source_unavailable_and_lands_after_restore()
    {
        WriteRepository($"registry: data/registry.db\noffline_store: {{type: postgres, connection: \"${{{_variable}}}\"}}", "{name: stats, type: postgres, table: user_stats_src, timestamp_field: event_timestamp, created_timestamp_column: created}\n  - {name: stats_push, type: push, batch_source: stats}");
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        _server = await FaultServer.StartAsync(_repo.Root);
        const string Push = """{"push_source_name": "stats_push", "to": "offline", "df": {"user_id": [9001], "event_timestamp": ["2026-11-03T12:00:00Z"], "orders": [5], "spend": [1.5]}}""";
        Apply("refusing connections");
        await FaultServer.AssertUnavailableAsync(ErrorCodes.SourceUnavailable, () => _server.PostAsync("push", Push));
        Assert.Equal(0, await CountAsync("user_id = 9001"));

        _proxy.Restore();
        var (status, body) = await _server.PostAsync("push", Push);
        Assert.True(status == HttpStatusCode.OK, $"The push after restore answered {(int)status}: {body}");
        Assert.Equal(1, await CountAsync("user_id = 9001 AND orders = 5"));
    }

    private void Apply(string fault)
    {
        switch (fault)
        {
            case "blackholed":
                _proxy.Blackhole();
                break;
            case "refusing connections":
                // The database going down: live (pooled) connections reset, new ones refused.
                _proxy.Refuse();
                _proxy.CutAll();
                break;
            default:
                _proxy.CutRepliesAfter(200);
                break;
        }
    }

    private void WriteRepository(string stores, string source) =>
        _repo.Write("granary.yaml", $"project: shop\n{stores}\n")
            .Write("features.yaml", FaultRows.View + $"\nsources:\n  - {source}\n");

    private async Task MaterializeAsync(DateTimeOffset end)
    {
        var (status, body) = await _server!.MaterializeAsync(DateTimeOffset.UnixEpoch, end);
        Assert.True(status == HttpStatusCode.OK, $"Materialization answered {(int)status}: {body}");
    }

    private Task<DateTimeOffset?> WatermarkAsync() =>
        _server!.Server.Services.GetRequiredService<FeatureStore>().Online.GetWatermarkAsync("user_stats");

    private async Task<long> CountAsync(string where)
    {
        await using var connection = new NpgsqlConnection(_direct);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM user_stats_src WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task LoadRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE user_stats_src (user_id bigint, event_timestamp timestamptz, created timestamptz, orders bigint, spend double precision)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var import = await connection.BeginBinaryImportAsync("COPY user_stats_src FROM STDIN (FORMAT BINARY)");
        foreach (var row in Rows)
        {
            await import.StartRowAsync();
            await import.WriteAsync(row.User, NpgsqlDbType.Bigint);
            await import.WriteAsync(row.EventTime, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(row.Created, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(row.Orders, NpgsqlDbType.Bigint);
            await import.WriteAsync(row.Spend, NpgsqlDbType.Double);
        }

        await import.CompleteAsync();
    }
}
