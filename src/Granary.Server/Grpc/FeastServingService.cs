using Feast.Serving;
using Granary.OnlineServing;
using Granary.Server.Diagnostics;
using Granary.Server.Http;
using Grpc.Core;

namespace Granary.Server.Grpc;

/// <summary>
/// Feast's <c>feast.serving.ServingService</c> (Protos/feast/serving/ServingService.proto, unchanged from Feast), so
/// clients generated from Feast's protos, as Feast's Go and Java clients are, read features from Granary. A request
/// becomes the same <see cref="OnlineFeaturesRequest"/> the HTTP API makes and goes to the same
/// <see cref="FeatureStore.GetOnlineFeaturesAsync"/>, so both answer with the same values and statuses. Errors are
/// mapped to statuses by <see cref="GranaryErrorInterceptor"/>, as for Granary's own service.
/// </summary>
/// <remarks>
/// Feast's <c>request_context</c> feeds on-demand feature views, as over HTTP.
/// <c>include_feature_view_version_metadata</c> asks for view versions, which Granary does not keep: it is ignored,
/// and <c>metadata.feature_view_metadata</c> stays empty.
/// </remarks>
internal sealed class FeastServingService(FeatureStore store) : ServingService.ServingServiceBase
{
    public override Task<GetFeastServingInfoResponse> GetFeastServingInfo(GetFeastServingInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new GetFeastServingInfoResponse { Version = FeatureStore.Version });

    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var result = await store.GetOnlineFeaturesAsync(
            new OnlineFeaturesRequest
            {
                Features = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.Features ? request.Features.Val : [],
                FeatureService = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.FeatureService && request.FeatureService.Length > 0 ? request.FeatureService : null,
                Entities = FeastValues.ToColumns(request.Entities, "entities"),
                FullFeatureNames = request.FullFeatureNames,
                RequestContext = request.RequestContext.Count == 0 ? null : FeastValues.ToColumns(request.RequestContext, "request_context"),
                Caller = ServingCaller.Of(context),
                Model = ServingCaller.ModelOf(context),
                Experiment = GrpcExperiment.ExperimentOf(context),
                UnitId = GrpcExperiment.UnitIdOf(context),
            },
            context.CancellationToken);

        await GrpcExperiment.WriteAsync(context, result.Experiment);

        ServerTelemetry.Lookup(result.RowCount, result.Results.Count - request.Entities.Count);
        var names = new FeatureList();
        names.Val.AddRange(result.FeatureNames);
        var response = new GetOnlineFeaturesResponse { Metadata = new GetOnlineFeaturesResponseMetadata { FeatureNames = names } };
        response.Results.Capacity = result.Results.Count;
        for (var i = 0; i < result.Results.Count; i++)
        {
            response.Results.Add(FeastValues.ToVector(result.Results[i]));
        }

        return response;
    }
}
