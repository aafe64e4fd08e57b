using Granary.Monitoring;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// Webhooks are posted through the named client of an <see cref="IHttpClientFactory"/> (<see cref="AlertWebhooks"/>),
/// whose own request logging is off so the secret URL is never logged.
/// </summary>
public sealed class AlertWebhookClientTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";

    [Fact]
    public async Task Webhooks_go_through_the_factorys_named_client_and_nothing_it_logs_holds_the_url()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml", $"alerts:\n  - {{name: stats_stale, views: [user_stats], when: {{stale: true}}, webhook: '{hook.Url("/hooks/" + Secret)}'}}\n");
        var counting = new CountingHandler();
        var logs = new CapturingProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddAlertWebhooks();
        services.AddHttpClient(AlertWebhooks.ClientName).AddHttpMessageHandler(() => counting);
        await using var provider = services.BuildServiceProvider();
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero))).Build();
        await store.ApplyAsync();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        var summary = await new AlertMonitor(store, factory, logs.CreateLogger("monitor"), _ => null).RunAsync();

        Assert.Equal(1, summary.Fired);
        Assert.Equal(["/hooks/" + Secret], counting.Paths);
        Assert.Single(hook.Received);
        Assert.Equal(AlertWebhooks.Timeout, factory.CreateClient(AlertWebhooks.ClientName).Timeout);
        Assert.NotEmpty(logs.Log.Entries);
        Assert.DoesNotContain(Secret, logs.Log.ToString(), StringComparison.Ordinal);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Paths)
            {
                Paths.Add(request.RequestUri!.AbsolutePath);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public CapturedLog Log { get; } = new();

        public ILogger CreateLogger(string categoryName) => Log;

        public void Dispose()
        {
        }
    }
}
