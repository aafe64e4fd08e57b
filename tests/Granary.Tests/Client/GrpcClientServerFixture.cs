using Granary.Offline.DuckDb;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Client;

/// <summary>
/// A real <see cref="GranaryServer"/> (JSON API and gRPC, each on a free loopback port) over a repository whose views
/// hold every scalar type but bytes and three list types (bytes are read in GrpcValueMappingTests: a BLOB column of a
/// Parquet source does not materialize today), for the client's transports to read and compare. Started once per
/// test class; tests that write use users 200 and above, which no other test reads.
/// </summary>
public sealed class GrpcClientServerFixture : IAsyncLifetime
{
    /// <summary>Users 1 (every value), 2 (a time before the epoch, negative numbers) and 3 (every value null); 99 has no row.</summary>
    public static readonly long[] Users = [1, 2, 3, 99];

    /// <summary>Every feature, deliberately not in view order: the server answers by view, the client in request order.</summary>
    public static readonly string[] Features =
    [
        "profile:age", "account:balance", "profile:visits", "profile:score", "profile:name", "profile:active",
        "profile:last_seen", "profile:tags", "profile:recent", "profile:embedding",
    ];

    private GranaryServer? _server;

    public TempRepository Repository { get; } = new();

    public GranaryServer Server => _server!;

    public FeatureStore Store => (FeatureStore)Server.Services.GetService(typeof(FeatureStore))!;

    public async Task InitializeAsync()
    {
        await PrepareAsync(Repository);
        _server = await StartAsync(Repository.Root, port: 0, grpcPort: 0);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Repository.Dispose();
    }

    /// <summary>Writes the repository and its Parquet source into <paramref name="repository"/>, applies and materializes it.</summary>
    public static async Task PrepareAsync(TempRepository repository)
    {
        repository
            .Write("granary.yaml", "project: clients\nregistry: data/registry.db\n")
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: profile_source, type: file, path: data/profiles.parquet, timestamp_field: event_timestamp}
                  - {name: profile_push, type: push, batch_source: profile_source}
                feature_views:
                  - name: profile
                    entities: [user]
                    ttl: 0
                    source: profile_push
                    schema:
                      - {name: age, dtype: int32}
                      - {name: visits, dtype: int64}
                      - {name: score, dtype: float32}
                      - {name: name, dtype: string}
                      - {name: active, dtype: bool}
                      - {name: last_seen, dtype: unix_timestamp}
                      - {name: tags, dtype: list<string>}
                      - {name: recent, dtype: list<int64>}
                      - {name: embedding, dtype: list<float32>}
                  - name: account
                    entities: [user]
                    ttl: 0
                    source: profile_push
                    schema:
                      - {name: balance, dtype: float64}
                feature_services:
                  - name: profile_model
                    features: [account:balance, profile:visits, profile:name]
                """);
        Directory.CreateDirectory(Path.Combine(repository.Root, "data"));
        var parquet = Path.Combine(repository.Root, "data", "profiles.parquet").Replace("'", "''", StringComparison.Ordinal);
        await using (var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                COPY (
                    SELECT * FROM (VALUES
                        (1::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00.123456+00', 31::INTEGER, 12::BIGINT, 0.1::FLOAT, 120.5::DOUBLE, 'Ann ✓'::VARCHAR,
                            true, TIMESTAMPTZ '2026-10-31 12:34:56.789+00', ['a', 'b']::VARCHAR[], [1, 9007199254740993]::BIGINT[], [0.5, 1.25]::FLOAT[]),
                        (2::BIGINT, TIMESTAMPTZ '2026-11-01 06:00:00+00', -7::INTEGER, (-9223372036854775807 - 1)::BIGINT, -3.5::FLOAT, -0.000001::DOUBLE, ''::VARCHAR,
                            false, TIMESTAMPTZ '1969-12-31 23:59:59.5+00', []::VARCHAR[], [-1]::BIGINT[], [-0.0]::FLOAT[]),
                        (3::BIGINT, TIMESTAMPTZ '2026-11-01 07:00:00+00', NULL::INTEGER, NULL::BIGINT, NULL::FLOAT, NULL::DOUBLE, NULL::VARCHAR,
                            NULL::BOOLEAN, NULL::TIMESTAMPTZ, NULL::VARCHAR[], NULL::BIGINT[], NULL::FLOAT[])
                    ) t(user_id, event_timestamp, age, visits, score, balance, name, active, last_seen, tags, recent, embedding)
                ) TO '{parquet}' (FORMAT parquet)
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var store = FeatureStore.Open(repository.Root);
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>A server over <paramref name="root"/> on the given ports (0: a free one), quiet in the test output.</summary>
    public static async Task<GranaryServer> StartAsync(string root, int port, int grpcPort)
    {
        var server = new GranaryServer(
            new GranaryServerOptions
            {
                RepositoryPath = root,
                Port = port,
                GrpcPort = grpcPort,
                RegistryRefreshInterval = TimeSpan.FromMilliseconds(200),
                ShutdownTimeout = TimeSpan.FromSeconds(2),
            },
            logging => logging.ClearProviders());
        await server.StartAsync();
        return server;
    }
}
