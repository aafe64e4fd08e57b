using Granary.Server.Grpc;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

// In the Microsoft.Extensions.DependencyInjection namespace, as AddGranary and AddGrpc are, so both calls show up
// wherever services and endpoints are configured without an extra using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>
/// Hosts Granary's gRPC services in an ASP.NET Core app: its own <c>granary.v1.FeatureServing</c> (see
/// <c>Protos/granary.proto</c>), Feast's <c>feast.serving.ServingService</c> and <c>grpc.health.v1.Health</c>.
/// </summary>
public static class GranaryGrpcEndpoints
{
    /// <summary>
    /// The largest request the service accepts by default, 16 MiB: gRPC's own default of 4 MiB is a few tens of
    /// thousands of pushed values, too little for a batch push; larger requests fail with RESOURCE_EXHAUSTED.
    /// </summary>
    public const int DefaultMaxReceiveMessageSize = 16 * 1024 * 1024;

    /// <summary>
    /// Adds gRPC, gRPC health checks and the services <see cref="MapGranaryGrpc"/> maps. Needs a <c>FeatureStore</c> from
    /// <c>AddGranary</c>. Settings apply to Granary's and Feast's services only, not to other gRPC services of the app.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="maxReceiveMessageSize">The largest request accepted, in bytes; <see cref="DefaultMaxReceiveMessageSize"/> by default.</param>
    public static IServiceCollection AddGranaryGrpc(this IServiceCollection services, int maxReceiveMessageSize = DefaultMaxReceiveMessageSize)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxReceiveMessageSize);
        var grpc = services.AddGrpc();
        grpc.AddServiceOptions<FeatureServingService>(options => Configure(options, maxReceiveMessageSize));
        grpc.AddServiceOptions<FeastServingService>(options => Configure(options, maxReceiveMessageSize));

        AddHealthChecks(services);
        return services;
    }

    private const string FeastService = "feast.serving.ServingService";
    private const string GranaryService = "granary.v1.FeatureServing";

    // grpc.health.v1.Health's Check runs the probe each time it is asked (no cache), so it agrees with GET /health at
    // that moment. Registered once, however often AddGranaryGrpc is called: two checks of one name fail at run time.
    private static void AddHealthChecks(IServiceCollection services)
    {
        foreach (var service in services)
        {
            if (service.ServiceType == typeof(FeatureStoreHealthCheck))
            {
                return;
            }
        }

        services.AddSingleton<FeatureStoreHealthCheck>();
        services.AddGrpcHealthChecks(options =>
            {
                options.Services.Map(FeastService, static check => check.Name == FeatureStoreHealthCheck.Name);
                options.Services.Map(GranaryService, static check => check.Name == FeatureStoreHealthCheck.Name);
            })
            .Add(new HealthCheckRegistration(FeatureStoreHealthCheck.Name, static provider => provider.GetRequiredService<FeatureStoreHealthCheck>(), failureStatus: null, tags: null));
    }

    private static void Configure(GrpcServiceOptions options, int maxReceiveMessageSize)
    {
        options.MaxReceiveMessageSize = maxReceiveMessageSize;

        // Calling this twice (a host and a library both adding it) must not map each error twice.
        foreach (var interceptor in options.Interceptors)
        {
            if (interceptor.Type == typeof(GranaryErrorInterceptor))
            {
                return;
            }
        }

        options.Interceptors.Add<GranaryErrorInterceptor>();
    }

    /// <summary>
    /// Maps <c>granary.v1.FeatureServing</c>, Feast's <c>feast.serving.ServingService</c> and the standard
    /// <c>grpc.health.v1.Health</c> (SERVING when the registry and the online store answer; for the whole server, and
    /// for each of the two services by name). gRPC needs HTTP/2: listen with <c>HttpProtocols.Http2</c> (cleartext) or
    /// <c>Http1AndHttp2</c> over TLS.
    /// </summary>
    public static IEndpointRouteBuilder MapGranaryGrpc(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<FeatureServingService>();
        app.MapGrpcService<FeastServingService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
