using System.Collections.Concurrent;
using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's activity source: one <c>Internal</c> span per served operation (<c>granary.server.get_online_features</c>,
/// ...; docs/observability.md lists them), the child of ASP.NET Core's request span and the parent of the facade's,
/// registry's, engine's and store's spans beneath it.
/// </summary>
/// <remarks>
/// While nobody listens, starting a span is one branch and returns null, and every tag below is a null check: a request
/// allocates nothing for tracing. Span names are built once per operation and kept, so a listened-to request that the
/// sampler drops allocates nothing either.
/// </remarks>
internal static class ServerTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.ServerActivitySourceName, typeof(ServerTelemetry).Assembly.GetName().Version?.ToString());

    // Granary's attributes, under granary.* as the other sources' are; rpc.* are OpenTelemetry's RPC conventions.
    public const string Operation = "granary.server.operation";
    public const string EntityRows = "granary.entities";
    public const string Features = "granary.features";
    public const string FeatureViews = "granary.feature_views";
    public const string Rows = "granary.rows";
    public const string RegistryVersion = "granary.registry.version";
    public const string ErrorType = "error.type";
    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";

    /// <summary>The standard gRPC health check's method, whose probe <c>FeatureStoreHealthCheck</c> runs.</summary>
    public const string GrpcHealthCheckMethod = "/grpc.health.v1.Health/Check";

    private const string GrpcHealthService = "grpc.health.v1.Health";

    private static readonly ConcurrentDictionary<string, string> HttpSpanNames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, GrpcOperation> GrpcOperations = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts the span of the HTTP endpoint <paramref name="endpoint"/> (the <c>endpoint</c> label of the metrics, such
    /// as <c>get-online-features</c>), or returns null when nobody listens or the sampler declines it.
    /// </summary>
    public static Activity? StartHttp(string endpoint)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(HttpSpanNames.GetOrAdd(endpoint, static e => SpanName(e)));
        activity?.SetTag(Operation, endpoint);
        return activity;
    }

    /// <summary>
    /// Starts the span of the gRPC method <paramref name="method"/> (<c>/granary.v1.FeatureServing/Push</c>), named
    /// after the operation it serves, as the HTTP endpoint of that operation is, and tagged with the RPC it came as.
    /// </summary>
    public static Activity? StartGrpc(string method)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var operation = GrpcOperations.GetOrAdd(method, static m => GrpcOperation.Of(m));
        var activity = Source.StartActivity(operation.SpanName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Operation, operation.Name);
            activity.SetTag(RpcSystem, "grpc");
            activity.SetTag(RpcService, operation.Service);
            activity.SetTag(RpcMethod, operation.Method);
        }

        return activity;
    }

    /// <summary>
    /// The server span current on this request, for the endpoints and services to tag with what they served; null
    /// when there is none (nobody listens, or the current activity is another source's).
    /// </summary>
    public static Activity? Current =>
        Activity.Current is { IsAllDataRequested: true } current && ReferenceEquals(current.Source, Source) ? current : null;

    /// <summary>Tags the current server span with an online read's size: entity rows and features asked for.</summary>
    public static void Lookup(int entityRows, int features)
    {
        if (Current is { } activity)
        {
            activity.SetTag(EntityRows, entityRows);
            activity.SetTag(Features, features);
        }
    }

    /// <summary>Tags the current server span with the rows a push or a write carried.</summary>
    public static void Pushed(long rows) => Current?.SetTag(Rows, rows);

    /// <summary>Tags the current server span with what a materialization did: views materialized and rows read.</summary>
    public static void Materialized(IReadOnlyList<Granary.Materialization.MaterializationResult> results)
    {
        if (Current is { } activity)
        {
            long rows = 0;
            for (var i = 0; i < results.Count; i++)
            {
                rows += results[i].Rows;
            }

            activity.SetTag(FeatureViews, results.Count);
            activity.SetTag(Rows, rows);
        }
    }

    /// <summary>Tags the current server span with the registry version it answered from.</summary>
    public static void Registry(long version) => Current?.SetTag(RegistryVersion, version);

    /// <summary>
    /// Marks <paramref name="activity"/> failed as every Granary span is, with <paramref name="code"/> (the stable code
    /// the client was answered with) as its <c>error.type</c>. Returns false, to serve as an exception filter.
    /// </summary>
    public static bool Failed(Activity? activity, string code, Exception exception)
    {
        if (activity is not null)
        {
            GranaryTelemetry.MarkFailed(activity, exception);
            activity.SetTag(ErrorType, code);
        }

        return false;
    }

    // get-online-features -> granary.server.get_online_features, the spelling of the other sources' span names.
    private static string SpanName(string operation) => "granary.server." + operation.Replace('-', '_');

    /// <summary>What a gRPC method's span is named and tagged with, worked out once per method.</summary>
    private sealed record GrpcOperation(string Name, string SpanName, string Service, string Method)
    {
        public static GrpcOperation Of(string fullMethod)
        {
            // /package.Service/Method: the method in kebab case is the HTTP endpoint serving the same operation.
            var slash = fullMethod.LastIndexOf('/');
            var service = slash > 0 ? fullMethod[1..slash] : "";
            var method = fullMethod[(slash + 1)..];
            // The standard health service's Check answers what GET /health does.
            var name = service == GrpcHealthService ? "health" : Kebab(method);
            return new GrpcOperation(name, ServerTelemetry.SpanName(name), service, method);
        }

        private static string Kebab(string pascal)
        {
            var text = new System.Text.StringBuilder(pascal.Length + 4);
            for (var i = 0; i < pascal.Length; i++)
            {
                if (char.IsUpper(pascal[i]) && i > 0)
                {
                    text.Append('-');
                }

                text.Append(char.ToLowerInvariant(pascal[i]));
            }

            return text.ToString();
        }
    }
}
