using System.Diagnostics;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Contracts.Http;
using Granary.Core.Errors;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Server.Http;

/// <summary>
/// What every endpoint shares: the feature store, the options, and one place that turns failures into
/// <c>{"error", "detail"}</c> responses, counts requests and errors, logs, and runs the request's span of the
/// <c>Granary.Server</c> source (<see cref="ServerTelemetry"/>), failed with the code the client was answered with.
/// Endpoints stay free of try/catch.
/// </summary>
internal sealed class EndpointRunner(FeatureStore store, ServerMetrics metrics, IOptions<GranaryServerOptions> options, ILogger<EndpointRunner> logger)
{
    public FeatureStore Store { get; } = store;

    public ServerMetrics Metrics { get; } = metrics;

    public GranaryServerOptions Options { get; } = options.Value;

    public ILogger Logger { get; } = logger;

    /// <summary>The request's clock: the host's <see cref="TimeProvider"/> where one is registered (a test's fake), else the system's.</summary>
    public static TimeProvider Clock(HttpContext context) => context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>Reads the body up to the configured limit; the caller disposes it.</summary>
    public Task<RequestBody> ReadBodyAsync(HttpContext context) => RequestBody.ReadAsync(context, Options.MaxRequestBodySize, context.RequestAborted);

    /// <summary>nginx's status for a request whose client closed the connection before the answer; never sent.</summary>
    private const int ClientClosedRequest = 499;

    public async Task RunAsync(HttpContext context, string endpoint, Func<HttpContext, EndpointRunner, Task> handler)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = ServerTelemetry.StartHttp(endpoint);
        try
        {
            await handler(context, this);
        }
        catch (GranaryException e)
        {
            Fail(context, endpoint, e.Code, e.Message, activity, e);
        }
        catch (JsonBodyException e)
        {
            Fail(context, endpoint, e.Code, e.Message, activity, e);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            var path = e.Path is { Length: > 1 } p ? $" at {p}" : "";
            Fail(context, endpoint, ErrorCodes.InvalidJson, $"The request body is not valid JSON{where}{path}: {FirstSentence(e.Message)}", activity, e);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer. Recorded as 499 (client closed request), not as an answer.
            ServerTelemetry.Failed(activity, ClientClosedRequestType, e);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = ClientClosedRequest;
            }
        }
        catch (Exception e)
        {
            ServerLog.Crashed(Logger, endpoint, e);
            Fail(context, endpoint, ErrorCodes.Internal, "The server failed unexpectedly; the error is in its log.", activity, e, logged: true);
        }
        finally
        {
            Metrics.Request(endpoint, context.Response.StatusCode, started);
        }
    }

    /// <summary>The span's <c>error.type</c> for a request whose client left: no error code, since nobody was answered.</summary>
    internal const string ClientClosedRequestType = "client_closed_request";

    private void Fail(HttpContext context, string endpoint, string code, string detail, Activity? activity, Exception exception, bool logged = false)
    {
        var status = ErrorResponses.StatusOf(code);
        Metrics.Error(endpoint, code);
        ServerTelemetry.Failed(activity, code, exception);
        if (!logged)
        {
            if (status >= 500)
            {
                ServerLog.Unavailable(Logger, endpoint, status, code, detail);
            }
            else
            {
                ServerLog.Refused(Logger, endpoint, status, code, detail);
            }
        }

        ErrorResponses.Write(context, status, code, detail);
    }

    // The reader's messages end with a hint about the reader's own options, which callers cannot act on.
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
