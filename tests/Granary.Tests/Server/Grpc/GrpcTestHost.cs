using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Server.Grpc;

/// <summary>
/// A real Kestrel server on a free loopback port (cleartext HTTP/2, as gRPC without TLS needs) hosting Granary's gRPC
/// service, and a Grpc.Net.Client channel to it.
/// </summary>
internal sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private GrpcTestHost(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new FeatureServingClient(channel.CreateCallInvoker());
    }

    public IServiceProvider Services => _app.Services;

    public FeatureServingClient Client { get; }

    /// <param name="configure">Registers the <c>FeatureStore</c> (AddGranary or an instance); AddGranaryGrpc is added here.</param>
    public static async Task<GrpcTestHost> StartAsync(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        configure(builder.Services);
        builder.Services.AddGranaryGrpc();
        var app = builder.Build();
        app.MapGranaryGrpc();
        await app.StartAsync();

        // Kestrel reports the port it bound for port 0.
        return new GrpcTestHost(app, GrpcChannel.ForAddress(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
