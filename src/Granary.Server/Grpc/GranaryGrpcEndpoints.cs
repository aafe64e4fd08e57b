using Granary.Server.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

// In the Microsoft.Extensions.DependencyInjection namespace, as AddGranary and AddGrpc are, so both calls show up
// wherever services and endpoints are configured without an extra using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Hosts Granary's gRPC service (<c>granary.v1.FeatureServing</c>, see <c>Protos/granary.proto</c>) in an ASP.NET Core app.</summary>
public static class GranaryGrpcEndpoints
{
    /// <summary>
    /// The largest request the service accepts by default, 16 MiB: gRPC's own default of 4 MiB is a few tens of
    /// thousands of pushed values, too little for a batch push; larger requests fail with RESOURCE_EXHAUSTED.
    /// </summary>
    public const int DefaultMaxReceiveMessageSize = 16 * 1024 * 1024;

    /// <summary>
    /// Adds gRPC and the services <see cref="MapGranaryGrpc"/> maps. Needs a <c>FeatureStore</c> from
    /// <c>AddGranary</c>. Settings apply to Granary's service only, not to other gRPC services of the app.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="maxReceiveMessageSize">The largest request accepted, in bytes; <see cref="DefaultMaxReceiveMessageSize"/> by default.</param>
    public static IServiceCollection AddGranaryGrpc(this IServiceCollection services, int maxReceiveMessageSize = DefaultMaxReceiveMessageSize)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxReceiveMessageSize);
        services.AddGrpc().AddServiceOptions<FeatureServingService>(options =>
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
        });
        return services;
    }

    /// <summary>
    /// Maps <c>granary.v1.FeatureServing</c>. gRPC needs HTTP/2: listen with <c>HttpProtocols.Http2</c> (cleartext) or
    /// <c>Http1AndHttp2</c> over TLS.
    /// </summary>
    public static IEndpointRouteBuilder MapGranaryGrpc(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<FeatureServingService>();
        return app;
    }
}
