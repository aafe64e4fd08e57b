using Microsoft.Extensions.DependencyInjection;

namespace Granary.Monitoring;

/// <summary>
/// The named <see cref="HttpClient"/> alert webhooks are posted through, from <see cref="IHttpClientFactory"/>: its
/// handlers are pooled and renewed by the factory instead of one client held per process, so a webhook host that
/// moves (DNS) is followed and sockets are reused across runs.
/// </summary>
internal static class AlertWebhooks
{
    /// <summary>The client's name.</summary>
    public const string ClientName = "granary.alert-webhooks";

    /// <summary>How long a webhook has to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Registers the client.</summary>
    public static IServiceCollection AddAlertWebhooks(this IServiceCollection services)
    {
        // The factory's own request logging writes the full URL, and a webhook URL is a secret: the monitor logs each
        // firing itself, with the URL redacted (MonitoringLog).
        services.AddHttpClient(ClientName, static client => client.Timeout = Timeout).RemoveAllLoggers();
        return services;
    }

    /// <summary>A factory holding only this client, for a process without a service container (the CLI).</summary>
    public static ServiceProvider CreateProvider() => new ServiceCollection().AddAlertWebhooks().BuildServiceProvider();
}
