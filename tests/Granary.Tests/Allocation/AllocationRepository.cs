using System.Globalization;
using System.Text;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Server.Http;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Allocation;

/// <summary>
/// A repository of one view of 10 features (f0-f3 float64, f4-f6 int64, f7-f9 short strings, the mix of the online
/// lookup benchmark) over a push source, with <see cref="Users"/> users pushed into the embedded store; opened as a
/// user opens it (<see cref="Store"/>) and as the feature server composes it (<see cref="Runner"/>, its own
/// <see cref="FeatureStore"/> over the same file). Requests and bodies for one entity each are built ahead.
/// </summary>
public class AllocationRepository : IAsyncLifetime
{
    public const int Users = 1_000;
    public const int Prepared = 1_024;
    public const string View = "stats";

    private readonly TempRepository _repo = new();
    private ServiceProvider? _services;

    public FeatureStore Store { get; private set; } = null!;

    /// <summary>The <c>monitoring:</c> section of <c>granary.yaml</c>; none (serving is not sampled) unless a derived fixture says so.</summary>
    protected virtual string Monitoring => "";

    internal EndpointRunner Runner { get; private set; } = null!;

    /// <summary>One-entity requests for all 10 features, of pseudo-random users.</summary>
    public OnlineFeaturesRequest[] Requests { get; } = new OnlineFeaturesRequest[Prepared];

    /// <summary>The same requests as <c>/get-online-features</c> bodies.</summary>
    public byte[][] Bodies { get; } = new byte[Prepared][];

    public static string[] Features { get; } = [.. Enumerable.Range(0, 10).Select(f => $"{View}:f{f}")];

    /// <summary>
    /// The bytes one single-entity lookup of <see cref="Store"/> allocates, over <see cref="AllocationMeter.TotalCalls"/>
    /// of the prepared requests; every lookup must find its user, since one that found nothing would allocate less and
    /// prove nothing.
    /// </summary>
    public double LookupBytesPerCall()
    {
        var requests = Requests;
        var store = Store;
        var found = 0;
        var measured = AllocationMeter.BytesPerCall(i =>
        {
            var response = AllocationMeter.Completed(store.GetOnlineFeaturesAsync(requests[i & (Prepared - 1)]));
            found += response["f9"].Statuses[0] == FeatureStatus.Present ? 1 : 0;
        });

        Assert.Equal(AllocationMeter.TotalCalls, found);
        return measured;
    }

    public async Task InitializeAsync()
    {
        var schema = string.Join(", ", Enumerable.Range(0, 10).Select(f => $"{{name: f{f}, dtype: {(f < 4 ? "float64" : f < 7 ? "int64" : "string")}}}"));
        _repo.Write("granary.yaml", "project: allocation\nonline_store: {type: embedded}\n" + Monitoring)
            .Write("data/stats.csv", "user_id,event_timestamp," + string.Join(",", Enumerable.Range(0, 10).Select(f => $"f{f}")) + "\n-1,2025-01-01T00:00:00Z,0.5,1.5,2.5,3.5,4,5,6,a,b,c\n")
            .Write("features.yaml", $$"""
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: stats_source, type: file, path: data/stats.csv, timestamp_field: event_timestamp}
                  - {name: stats_push, type: push, batch_source: stats_source}
                feature_views:
                  - name: {{View}}
                    entities: [user]
                    ttl: 0
                    source: stats_push
                    schema: [{{schema}}]
                """);
        Store = FeatureStore.Open(_repo.Root);
        await Store.ApplyAsync();
        var users = Enumerable.Range(0, Users).Select(u => (long)u).ToArray();
        var columns = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = [.. users.Select(u => (object?)u)],
            ["event_timestamp"] = [.. users.Select(u => (object?)$"2026-01-01T00:{u % 60:00}:00Z")],
        };
        for (var f = 0; f < 10; f++)
        {
            var feature = f;
            columns[$"f{f}"] = [.. users.Select(u => feature < 4 ? (object?)(u * 1.25 + feature) : feature < 7 ? u * 1_000 + feature : $"c{(u * 7 + feature) % 1_000}")];
        }

        await Store.PushAsync(new PushRequest { PushSourceName = "stats_push", Columns = columns });

        var random = new Random(42);
        for (var i = 0; i < Prepared; i++)
        {
            var user = (long)random.Next(Users);
            Requests[i] = new OnlineFeaturesRequest { Features = Features, Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] } };
            Bodies[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"features\":[{string.Join(",", Features.Select(f => $"\"{f}\""))}],\"entities\":{{\"user_id\":[{user}]}}}}"));
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGranaryServer(server => server.RepositoryPath = _repo.Root);
        _services = services.BuildServiceProvider();
        Runner = _services.GetRequiredService<EndpointRunner>();
        // Both stores open their file and resolve the query once before anything is measured.
        await Store.GetOnlineFeaturesAsync(Requests[0]);
        await OnlineFeaturesEndpoint.LookupAsync(Runner, OnlineFeaturesEndpoint.Parse(Bodies[0]), default);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        _repo.Dispose();
    }
}
