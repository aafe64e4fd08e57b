using Google.Protobuf;
using Granary.OnlineServing;
using Granary.Contracts.Grpc.V1;
using Granary.Server.Diagnostics;
using Granary.Server.Http;
using Grpc.Core;
using CorePushRequest = Granary.Push.PushRequest;
using CorePushTarget = Granary.Push.PushTarget;
using PushRequest = Granary.Contracts.Grpc.V1.PushRequest;
using PushTarget = Granary.Contracts.Grpc.V1.PushTarget;

namespace Granary.Server.Grpc;

/// <summary>
/// <c>granary.v1.FeatureServing</c> over the application's <see cref="FeatureStore"/>: each call converts the wire
/// values, makes the one store call the HTTP API makes, and converts the answer back. Errors are mapped to statuses
/// by <see cref="GranaryErrorInterceptor"/>. Push and WriteToOnlineStore honour the metadata <c>idempotency-key</c> as
/// the HTTP API honours its header (<see cref="IdempotentAnswers"/>, which <c>AddGranaryServer</c> registers; without
/// it the key is ignored).
/// </summary>
internal sealed class FeatureServingService(FeatureStore store, IdempotentAnswers? answers = null) : FeatureServing.FeatureServingBase
{
    /// <summary>The metadata key naming a push or write that may be sent again (gRPC metadata keys are lower case).</summary>
    public const string IdempotencyKeyMetadata = "idempotency-key";

    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var result = await store.GetOnlineFeaturesAsync(
            new OnlineFeaturesRequest
            {
                Features = request.Features,
                FeatureService = request.FeatureService.Length == 0 ? null : request.FeatureService,
                Entities = ProtoValues.ToColumns(request.Entities, "entities"),
                FullFeatureNames = request.FullFeatureNames,
                RequestContext = request.RequestContext.Count == 0 ? null : ProtoValues.ToColumns(request.RequestContext, "request_context"),
                Caller = ServingCaller.Of(context),
                Model = ServingCaller.ModelOf(context),
                Experiment = GrpcExperiment.ExperimentOf(context),
                UnitId = GrpcExperiment.UnitIdOf(context),
            },
            context.CancellationToken);

        await GrpcExperiment.WriteAsync(context, result.Experiment);

        ServerTelemetry.Lookup(result.RowCount, result.Results.Count - request.Entities.Count);
        var response = new GetOnlineFeaturesResponse();
        response.FeatureNames.AddRange(result.FeatureNames);
        if (result.Experiment is { } served)
        {
            response.Experiment = new Granary.Contracts.Grpc.V1.ServedExperiment { Name = served.Name, Variant = served.Variant };
        }
        response.Results.Capacity = result.Results.Count;
        for (var i = 0; i < result.Results.Count; i++)
        {
            response.Results.Add(ProtoValues.ToVector(result.Results[i]));
        }

        return response;
    }

    public override Task<PushResponse> Push(PushRequest request, ServerCallContext context) =>
        OnceAsync(nameof(Push), request, context, PushResponse.Parser, ApplyPushAsync);

    public override Task<WriteToOnlineStoreResponse> WriteToOnlineStore(WriteToOnlineStoreRequest request, ServerCallContext context) =>
        OnceAsync(nameof(WriteToOnlineStore), request, context, WriteToOnlineStoreResponse.Parser, ApplyWriteAsync);

    private async Task<PushResponse> ApplyPushAsync(PushRequest request, ServerCallContext context)
    {
        var result = await store.PushAsync(
            new CorePushRequest
            {
                PushSourceName = request.PushSourceName,
                Columns = ProtoValues.ToColumns(request.Columns, "columns"),
                To = TargetOf(request.To),
                AllowPartial = request.AllowPartial,
            },
            context.CancellationToken);

        ServerTelemetry.Pushed(result.Rows);
        var response = new PushResponse
        {
            Rows = result.Rows, OnlineWritten = result.OnlineWritten, Offline = result.Offline, LateRows = result.LateRows, RejectedRows = result.RejectedRows,
        };
        response.Views.AddRange(result.Views);
        return response;
    }

    private async Task<WriteToOnlineStoreResponse> ApplyWriteAsync(WriteToOnlineStoreRequest request, ServerCallContext context)
    {
        var columns = ProtoValues.ToColumns(request.Columns, "columns");
        var written = await store.WriteToOnlineStoreAsync(request.FeatureViewName, columns, context.CancellationToken);
        ServerTelemetry.Pushed(RowsOf(columns));
        return new WriteToOnlineStoreResponse { Written = written };
    }

    public override async Task<HealthResponse> Health(HealthRequest request, ServerCallContext context)
    {
        var registry = await store.GetRegistryAsync(context.CancellationToken);
        ServerTelemetry.Registry(registry.Version);
        return new HealthResponse { Project = store.Project, RegistryVersion = registry.Version };
    }

    private static int RowsOf(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns)
    {
        foreach (var (_, values) in columns)
        {
            return values.Count;
        }

        return 0;
    }

    // A request with a key is applied once per key; its repeats (same message bytes) get the first answer back.
    private async Task<TResponse> OnceAsync<TRequest, TResponse>(
        string endpoint, TRequest request, ServerCallContext context, MessageParser<TResponse> parser, Func<TRequest, ServerCallContext, Task<TResponse>> apply)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>
    {
        var key = context.RequestHeaders.GetValue(IdempotencyKeyMetadata);
        if (key is null || answers is null)
        {
            return await apply(request, context);
        }

        var (applied, remembered) = await answers.RunOnceAsync(
            "grpc " + endpoint, key, IdempotentAnswers.Hash(request.ToByteArray()), () => apply(request, context), static response => response.ToByteArray(), context.CancellationToken);
        return applied ?? parser.ParseFrom(remembered);
    }

    // Proto3 enums are open: a number this server does not know is refused rather than read as a default.
    private static CorePushTarget TargetOf(PushTarget target) => target switch
    {
        PushTarget.Online => CorePushTarget.Online,
        PushTarget.Offline => CorePushTarget.Offline,
        PushTarget.OnlineAndOffline => CorePushTarget.OnlineAndOffline,
        _ => throw new Core.Errors.GranaryException(Contracts.Errors.ErrorCodes.InvalidArgument, $"to: {(int)target} is not a push target; use ONLINE, OFFLINE or ONLINE_AND_OFFLINE."),
    };
}
