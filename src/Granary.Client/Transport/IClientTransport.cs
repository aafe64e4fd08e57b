namespace Granary.Client;

/// <summary>
/// One way of reaching the feature server (HTTP or gRPC). A transport makes one attempt per call: the
/// <see cref="GranaryClient"/> above it splits large reads into batches, retries and caches. A transport throws
/// <see cref="GranaryClientException"/> only, with <see cref="GranaryClientException.IsTransient"/> set for what may
/// pass by itself and <see cref="GranaryClientException.MayHaveReachedServer"/> cleared only when the request
/// provably never left (a refused connection).
/// </summary>
internal interface IClientTransport : IDisposable
{
    /// <summary>One batch: at most <see cref="GranaryClientOptions.MaxEntitiesPerRequest"/> entities, answered in their order, features named <c>view:feature</c>.</summary>
    Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken);

    Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken);

    Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken);

    Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken);
}
