using System.Collections.Concurrent;
using System.Text;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Server;

/// <summary>
/// What a server started with its default logging writes: its own events, not a line (nor a logging scope, which
/// comes with an Activity) per request.
/// </summary>
public sealed class ServerLoggingTests
{
    [Fact]
    public async Task Requests_are_not_logged_one_by_one_but_the_servers_own_events_are()
    {
        var captured = await ServeAsync(minimumLevel: null, async server =>
        {
            using var client = new HttpClient { BaseAddress = server.HttpUrl };
            using var health = await client.GetAsync(new Uri("health", UriKind.Relative));
            using var body = new StringContent("""{"features": ["user_stats:orders_7d"], "entities": {"user_id": [1]}}""", Encoding.UTF8, "application/json");
            using var online = await client.PostAsync(new Uri("get-online-features", UriKind.Relative), body);
            Assert.True(health.IsSuccessStatusCode && online.IsSuccessStatusCode, $"{health.StatusCode} {online.StatusCode}");
        });

        var entries = captured.Entries.ToArray();
        Assert.Contains(entries, e => e.Category == typeof(GranaryServer).FullName && e.EventId == 1001);
        var perRequest = entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level < LogLevel.Warning).ToArray();
        Assert.True(perRequest.Length == 0, string.Join("\n", perRequest.Select(e => $"{e.Category}[{e.EventId}] {e.Message}")));
        // Kestrel's scope per connection is fine; hosting's would be one per request.
        var requestScopes = captured.Scopes.Where(s => s.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)).ToArray();
        Assert.True(requestScopes.Length == 0, string.Join("\n", requestScopes));
    }

    [Fact]
    public async Task A_minimum_level_set_by_the_host_still_decides_for_granarys_events()
    {
        var captured = await ServeAsync(LogLevel.Warning, _ => Task.CompletedTask);
        Assert.DoesNotContain(captured.Entries, e => e.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task Keys_of_granary_yaml_that_no_provider_reads_are_logged_as_warnings_at_start()
    {
        var config = $"{SampleRepository.Config}\nonline_store:\n  type: embedded\n  feast_registry_ttl: 60\n";

        var captured = await ServeAsync(minimumLevel: null, _ => Task.CompletedTask, config);

        var warning = Assert.Single(captured.Entries, e => e.EventId == 1005);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("Configuration warning: granary.yaml:5:3: 'online_store' of type embedded does not use 'feast_registry_ttl'", warning.Message, StringComparison.Ordinal);
    }

    // Starts a server over the applied sample repository with only a capturing log provider, runs use, stops it.
    private static async Task<CapturingLoggerProvider> ServeAsync(LogLevel? minimumLevel, Func<GranaryServer, Task> use, string? config = null)
    {
        using var repo = SampleRepository.Create();
        if (config is not null)
        {
            repo.Write("granary.yaml", config);
        }

        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        var captured = new CapturingLoggerProvider();
        await using var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null },
            logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(captured);
                if (minimumLevel is { } level)
                {
                    logging.SetMinimumLevel(level);
                }
            });
        await server.StartAsync();
        await use(server);
        await server.StopAsync();
        return captured;
    }

    private sealed record Entry(string Category, LogLevel Level, int EventId, string Message);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        /// <summary>Scopes begun, as "category: state".</summary>
        public ConcurrentQueue<string> Scopes { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                provider.Scopes.Enqueue($"{category}: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue(new Entry(category, logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
