using Granary.Contracts.Grpc.V1;
using Grpc.Core;
using Grpc.Net.Client;
using ProtoPushRequest = Granary.Contracts.Grpc.V1.PushRequest;
using ProtoPushTarget = Granary.Contracts.Grpc.V1.PushTarget;
using ProtoWriteRequest = Granary.Contracts.Grpc.V1.WriteToOnlineStoreRequest;

namespace Granary.Client.Grpc;

/// <summary>
/// Granary's own <c>granary.v1.FeatureServing</c> over one <see cref="GrpcChannel"/>: typed values on the wire, no
/// JSON. Each call carries a deadline of <see cref="GranaryClientOptions.Timeout"/>, the API key as
/// <c>authorization: Bearer</c> metadata and a push's idempotency key as <c>idempotency-key</c>; failures become
/// <see cref="GranaryClientException"/>s (<see cref="GrpcErrors"/>). Registry reads have no gRPC service and stay on HTTP.
/// </summary>
internal sealed class GrpcClientTransport : IClientTransport
{
    /// <summary>The metadata key of a push's or write's idempotency key (HTTP's <c>Idempotency-Key</c> header).</summary>
    public const string IdempotencyKeyHeader = "idempotency-key";

    private static readonly HealthRequest HealthRequest = new();

    private readonly GrpcChannel _channel;
    private readonly FeatureServing.FeatureServingClient _client;
    private readonly TimeSpan _timeout;
    private readonly string? _authorization;

    public GrpcClientTransport(GranaryClientOptions options)
    {
        _channel = GrpcChannelFactory.Create(options);
        _client = new FeatureServing.FeatureServingClient(_channel);
        _timeout = options.Timeout;
        _authorization = options.ApiKey is { Length: > 0 } key ? "Bearer " + key : null;
    }

    public async Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken)
    {
        var request = new GetOnlineFeaturesRequest { FullFeatureNames = true };
        if (batch.FeatureService is { } service)
        {
            request.FeatureService = service;
        }
        else
        {
            request.Features.Add(batch.FeatureList);
        }

        GrpcRequestValues.AddColumns(request.Entities, batch.EntityColumns, "entities");
        GrpcRequestValues.AddColumns(request.RequestContext, batch.RequestColumns, "request_context");
        var response = await CallAsync(
            static (client, request, options) => client.GetOnlineFeaturesAsync(request, options),
            request,
            idempotencyKey: null,
            cancellationToken,
            batch.Experiment is { } experiment ? (experiment, batch.UnitId!) : null).ConfigureAwait(false);
        return GrpcResponseValues.ToOnlineFeatures(batch, response);
    }

    public async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken)
    {
        var push = new ProtoPushRequest { PushSourceName = request.PushSourceName, To = TargetOf(request.To), AllowPartial = request.AllowPartial };
        GrpcRequestValues.AddColumns(push.Columns, request.Columns, "columns");
        var response = await CallAsync(
            static (client, request, options) => client.PushAsync(request, options),
            push,
            request.IdempotencyKey,
            cancellationToken).ConfigureAwait(false);
        return new PushResult(response.Rows, response.OnlineWritten, response.Offline, [.. response.Views], response.LateRows, response.RejectedRows);
    }

    public async Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken)
    {
        var write = new ProtoWriteRequest { FeatureViewName = request.FeatureViewName };
        GrpcRequestValues.AddColumns(write.Columns, request.Columns, "columns");
        var response = await CallAsync(
            static (client, request, options) => client.WriteToOnlineStoreAsync(request, options),
            write,
            request.IdempotencyKey,
            cancellationToken).ConfigureAwait(false);

        // All or nothing: an answer means every row was accepted.
        return new WriteResult(request.RowCount, response.Written);
    }

    public async Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            static (client, request, options) => client.HealthAsync(request, options),
            HealthRequest,
            idempotencyKey: null,
            cancellationToken).ConfigureAwait(false);

        // granary.v1's HealthResponse does not name the online store (GET /health does).
        return new HealthResult("ok", response.Project, response.RegistryVersion, onlineStore: "");
    }

    public void Dispose() => _channel.Dispose();

    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        Func<FeatureServing.FeatureServingClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> call,
        TRequest request,
        string? idempotencyKey,
        CancellationToken cancellationToken,
        (string Name, string UnitId)? experiment = null)
    {
        Metadata? headers = null;
        if (_authorization is not null || idempotencyKey is not null || experiment is not null)
        {
            headers = [];
            if (experiment is { } e)
            {
                // Neither gRPC request has a field for it: the server reads these as the HTTP body's experiment and unit_id.
                headers.Add("granary-experiment", e.Name);
                headers.Add("granary-unit-id", e.UnitId);
            }

            if (_authorization is not null)
            {
                headers.Add("authorization", _authorization);
            }

            if (idempotencyKey is not null)
            {
                headers.Add(IdempotencyKeyHeader, idempotencyKey);
            }
        }

        // The deadline is wall-clock time on the wire (the server sees it as grpc-timeout), so it is the system clock's,
        // not the options' TimeProvider, which only paces the client's own waits.
        DateTime? deadline = _timeout == Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + _timeout;
        var options = new CallOptions(headers, deadline, cancellationToken);
        try
        {
            using var pending = call(_client, request, options);
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The call was cancelled.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw GrpcErrors.ToException(e);
        }
        catch (HttpRequestException e)
        {
            // Grpc.Net.Client reports connection failures as RpcException (Unavailable); this is the safety net.
            throw new GranaryClientException(GranaryClientException.UnavailableCode, "The feature server's gRPC endpoint could not be reached: " + e.Message, httpStatus: null, isTransient: true, mayHaveReachedServer: true, e);
        }
    }

    private static ProtoPushTarget TargetOf(PushTarget target) => target switch
    {
        PushTarget.Offline => ProtoPushTarget.Offline,
        PushTarget.OnlineAndOffline => ProtoPushTarget.OnlineAndOffline,
        _ => ProtoPushTarget.Online,
    };
}
