using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Server.Grpc;

/// <summary>
/// Granary's gRPC service over its own copy of the sample repository, applied and materialized, hosted by
/// <see cref="GrpcTestHost"/>. Started once per test class; tests that write use entities no other test reads.
/// </summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    /// <summary>"Now" for ttl checks: a day after the sample's rows, so they are PRESENT and older ones are not.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    // Users 1 (fresh), 2 (past the 2d ttl) and 4 (null spend); 3 has no row. Tests that write use 100 and above.
    private const string UserStats = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        2,2026-10-20T00:00:00Z,2026-10-20T00:05:00Z,0,0.0
        4,2026-11-01T06:00:00Z,2026-11-01T06:05:00Z,5,
        """;

    private GrpcTestHost? _host;

    // The sample with user_stats fed by the push source (materialized from its batch source), so pushes reach it.
    public TempRepository Repository { get; } = SampleRepository.Create()
        .Write("data/user_stats.csv", UserStats)
        .Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d\n    source: user_stats_source", "ttl: 2d\n    source: user_stats_push", StringComparison.Ordinal));

    public FeatureStore Store => _host!.Services.GetRequiredService<FeatureStore>();

    internal FeatureServingClient Client => _host!.Client;

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartAsync(services => services
            .AddGranary(o => o.RepositoryPath = Repository.Root)
            .ConfigureGranary((_, builder) => builder.UseTimeProvider(new FakeTimeProvider(Now))));
        await Store.ApplyAsync();
        await Store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Repository.Dispose();
    }
}
