using Granary.OnlineServing;
using Granary.Contracts.Grpc.V1;
using Granary.Server.Diagnostics;
using Grpc.Core;
using CorePushRequest = Granary.Push.PushRequest;
using CorePushTarget = Granary.Push.PushTarget;
using PushRequest = Granary.Contracts.Grpc.V1.PushRequest;
using PushTarget = Granary.Contracts.Grpc.V1.PushTarget;

namespace Granary.Server.Grpc;

/// <summary>
/// <c>granary.v1.FeatureServing</c> over the application's <see cref="FeatureStore"/>: each call converts the wire
/// values, makes the one store call the HTTP API makes, and converts the answer back. Errors are mapped to statuses
/// by <see cref="GranaryErrorInterceptor"/>.
/// </summary>
internal sealed class FeatureServingService(FeatureStore store) : FeatureServing.FeatureServingBase
{
    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var result = await store.GetOnlineFeaturesAsync(
            new OnlineFeaturesRequest
            {
                Features = request.Features,
                FeatureService = request.FeatureService.Length == 0 ? null : request.FeatureService,
                Entities = ProtoValues.ToColumns(request.Entities, "entities"),
                FullFeatureNames = request.FullFeatureNames,
            },
            context.CancellationToken);

        ServerTelemetry.Lookup(result.RowCount, result.Results.Count - request.Entities.Count);
        var response = new GetOnlineFeaturesResponse();
        response.FeatureNames.AddRange(result.FeatureNames);
        response.Results.Capacity = result.Results.Count;
        for (var i = 0; i < result.Results.Count; i++)
        {
            response.Results.Add(ProtoValues.ToVector(result.Results[i]));
        }

        return response;
    }

    public override async Task<PushResponse> Push(PushRequest request, ServerCallContext context)
    {
        var result = await store.PushAsync(
            new CorePushRequest
            {
                PushSourceName = request.PushSourceName,
                Columns = ProtoValues.ToColumns(request.Columns, "columns"),
                To = TargetOf(request.To),
            },
            context.CancellationToken);

        ServerTelemetry.Pushed(result.Rows);
        var response = new PushResponse { Rows = result.Rows, OnlineWritten = result.OnlineWritten, Offline = result.Offline };
        response.Views.AddRange(result.Views);
        return response;
    }

    public override async Task<WriteToOnlineStoreResponse> WriteToOnlineStore(WriteToOnlineStoreRequest request, ServerCallContext context)
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

    // Proto3 enums are open: a number this server does not know is refused rather than read as a default.
    private static CorePushTarget TargetOf(PushTarget target) => target switch
    {
        PushTarget.Online => CorePushTarget.Online,
        PushTarget.Offline => CorePushTarget.Offline,
        PushTarget.OnlineAndOffline => CorePushTarget.OnlineAndOffline,
        _ => throw new Core.Errors.GranaryException(Contracts.Errors.ErrorCodes.InvalidArgument, $"to: {(int)target} is not a push target; use ONLINE, OFFLINE or ONLINE_AND_OFFLINE."),
    };
}
