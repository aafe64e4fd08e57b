using System.Net;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Monitoring;
using Granary.Server.Diagnostics;
using Granary.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server;

/// <summary>
/// The feature server as one object, as Garnet's <c>GarnetServer</c> is: Kestrel with the JSON API on HTTP/1.1 and
/// gRPC on an HTTP/2 cleartext port of its own. <c>granary serve</c> runs one; tests start one on free loopback ports.
/// An application that has its own ASP.NET Core host uses <c>AddGranaryServer</c> and <c>MapGranary</c> instead.
/// </summary>
public sealed class GranaryServer : IAsyncDisposable
{
    /// <summary>
    /// ASP.NET Core writes four lines per request at Information ("Request starting", "Executing endpoint", ...),
    /// which to a console costs more than answering; as in ASP.NET Core's own templates, its categories start at
    /// Warning. Its hosting category is off altogether: while it logs at any level, every request also gets an
    /// <see cref="System.Diagnostics.Activity"/> and a logging scope (for trace ids in scopes), about as costly again
    /// as the lookup. Besides the request lines, that category only reports start-up failures, which
    /// <see cref="StartAsync"/> throws to its caller anyway, and URL overrides, which this server never makes. Only
    /// categories are set, not a default level, so a <c>configureLogging</c> that sets a minimum level still decides
    /// for Granary's own events.
    /// </summary>
    private static readonly KeyValuePair<string, string?>[] DefaultLogLevels =
    [
        new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
        new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None"),
    ];

    private readonly WebApplication _app;
    private readonly GranaryServerOptions _options;
    private readonly ILogger<GranaryServer> _logger;
    private readonly ListenOptions?[] _listen = new ListenOptions?[2];
    private bool _started;

    /// <param name="options">Where to listen and which repository to serve.</param>
    /// <param name="configureLogging">Adjusts logging (console by default); tests turn it down.</param>
    public GranaryServer(GranaryServerOptions options, Action<ILoggingBuilder>? configureLogging = null)
        : this(options, configureLogging, timeProvider: null)
    {
    }

    /// <param name="options">Where to listen and which repository to serve.</param>
    /// <param name="configureLogging">Adjusts logging (console by default); tests turn it down.</param>
    /// <param name="timeProvider">
    /// The server's clock (ttl checks, <c>now</c> in /materialize, idempotency lifetimes); the system's when null. For
    /// tests and the CLI's in-process runs, so that what they serve does not depend on the day they run.
    /// </param>
    internal GranaryServer(GranaryServerOptions options, Action<ILoggingBuilder>? configureLogging, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var address = ParseHost(options.Host);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetFullPath(options.RepositoryPath) });

        // The environment contract's switches (feature_store.enable_debug_logging, .enable_monitoring). A configuration
        // that does not read is reported by the store when it opens, with every mistake; here it only means no switches.
        var repository = ReadConfiguration(options);

        // Beneath every other configuration source, so appsettings.json or Logging__LogLevel__... still decide.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = repository?.DebugLogging == true ? [.. DefaultLogLevels, new("Logging:LogLevel:Granary", "Debug")] : DefaultLogLevels,
        });
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize + 1;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                _listen[0] = listen;
            });
            if (options.GrpcPort is { } grpcPort)
            {
                kestrel.Listen(address, grpcPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    _listen[1] = listen;
                });
            }
        });
        if (timeProvider is not null)
        {
            // The one clock of the composition: AddGranary hands it to the store, and the endpoints resolve it.
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddGranaryServer(server =>
        {
            server.RepositoryPath = options.RepositoryPath;
            server.Environment = options.Environment;
            server.RegistryRefreshInterval = options.RegistryRefreshInterval;
            server.MaxRequestBodySize = options.MaxRequestBodySize;
            server.ShutdownTimeout = options.ShutdownTimeout;
        });
        if (options.WithStreams)
        {
            builder.Services.AddGranaryStreams(new Granary.Streams.StreamRunOptions { Views = options.StreamViews });
        }

        if (options.WithMonitoring || repository?.MonitoringEnabled == true)
        {
            builder.Services.AddAlertWebhooks();
            builder.Services.AddHostedService<Granary.Server.Monitoring.AlertMonitorService>();
        }

        _app = builder.Build();
        _app.MapGranary();
        _app.MapGranaryMetrics();
        _app.MapGranaryOpenApi();

        // Here, not in MapGranary: a host that maps Granary beside its own endpoints decides what its unknown paths get.
        _app.MapUnknownPath(_app.Services.GetRequiredService<EndpointRunner>());
        _logger = _app.Services.GetRequiredService<ILogger<GranaryServer>>();
    }

    private static Granary.Registry.Configuration.RepositoryConfig? ReadConfiguration(GranaryServerOptions options)
    {
        try
        {
            return new FeatureStoreBuilder(options.RepositoryPath).UseEnvironment(options.Environment).ReadCheckedConfiguration();
        }
        catch (GranaryException)
        {
            return null;
        }
    }

    /// <summary>The JSON API's base address, e.g. <c>http://127.0.0.1:6566</c>; the bound port when 0 was asked.</summary>
    public Uri HttpUrl => Url(0) ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The gRPC (HTTP/2 cleartext) address, or null when <see cref="GranaryServerOptions.GrpcPort"/> is null.</summary>
    public Uri? GrpcUrl => Url(1);

    /// <summary>The server's services: the <see cref="FeatureStore"/> it serves, its logging and options.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Opens the repository, binds the ports and starts serving; fails if the repository or a port is unusable.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var store = _app.Services.GetRequiredService<FeatureStore>();
        foreach (var warning in store.ConfigurationWarnings)
        {
            ServerLog.ConfigurationWarning(_logger, warning.ToString());
        }

        await _app.StartAsync(cancellationToken);
        _started = true;
        ServerLog.Listening(_logger, store.Project, GrpcUrl is { } grpc ? $"{HttpUrl} (HTTP), {grpc} (gRPC)" : HttpUrl.ToString());
    }

    /// <summary>Stops accepting connections and waits up to <see cref="GranaryServerOptions.ShutdownTimeout"/> for requests in flight.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        ServerLog.Stopping(_logger, _options.ShutdownTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ShutdownTimeout);
        await _app.StopAsync(timeout.Token);
    }

    /// <summary>
    /// Completes when the server stops: after <see cref="StopAsync"/>, or on its own when the stream consumers failed
    /// for good (then <see cref="StreamsFailure"/> says why). For <c>granary serve</c>, which waits on it.
    /// </summary>
    internal async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = _app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await stopping.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Why the stream consumers stopped the server, if they did.</summary>
    internal Exception? StreamsFailure => _app.Services.GetService<Streams.StreamsHostedService>()?.Failure;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private Uri? Url(int index)
    {
        if (_listen[index] is not { } listen)
        {
            return null;
        }

        var endpoint = listen.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "localhost" : endpoint.Address.ToString();
        return new UriBuilder("http", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, endpoint.Port).Uri;
    }

    private static IPAddress ParseHost(string host) => host switch
    {
        "*" or "0.0.0.0" or "+" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ when IPAddress.TryParse(host, out var address) => address,
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"--host '{host}' is not an IP address; use 127.0.0.1, localhost, 0.0.0.0 or an address of this machine."),
    };
}
