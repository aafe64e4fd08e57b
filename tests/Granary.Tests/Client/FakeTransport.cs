using Granary.Client;

namespace Granary.Tests.Client;

/// <summary>
/// A transport that answers each read from the request itself (feature f of entity with user_id u is u * 10 + f,
/// PRESENT) or fails as told, and records every call, for the client's logic without a server.
/// </summary>
internal sealed class FakeTransport : IClientTransport
{
    public List<OnlineFeaturesRequest> Reads { get; } = [];

    public int Pushes { get; private set; }

    /// <summary>Failures to throw, one per call, before answering normally.</summary>
    public Queue<GranaryClientException> Failures { get; } = new();

    /// <summary>The status of every answered value.</summary>
    public FeatureStatus Status { get; set; } = FeatureStatus.Present;

    /// <summary>Added to every answered value, so a test can tell a fresh answer from a cached one.</summary>
    public long Generation { get; set; }

    public Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken)
    {
        Reads.Add(batch);
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var ids = batch.EntityColumns[0].Values;
        var features = batch.FeatureService is null ? batch.FeatureList : ["svc:a", "svc:b"];
        var columns = new FeatureColumn[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var values = new AnsweredValue[ids.Count];
            var statuses = new FeatureStatus[ids.Count];
            var times = new DateTimeOffset?[ids.Count];
            for (var e = 0; e < ids.Count; e++)
            {
                values[e] = AnsweredValue.FromInt64((Convert.ToInt64(ids[e], System.Globalization.CultureInfo.InvariantCulture) * 10) + f + Generation);
                statuses[e] = Status;
                times[e] = DateTimeOffset.UnixEpoch.AddSeconds(e);
            }

            columns[f] = new FeatureColumn(values, statuses, times);
        }

        return Task.FromResult(new OnlineFeatures(features, columns, ids.Count));
    }

    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken)
    {
        Pushes++;
        return Failures.TryDequeue(out var failure) ? throw failure : Task.FromResult(new PushResult(request.RowCount, request.RowCount, false, ["v"]));
    }

    public Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken)
    {
        Pushes++;
        return Failures.TryDequeue(out var failure) ? throw failure : Task.FromResult(new WriteResult(request.RowCount, request.RowCount));
    }

    public Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken) =>
        Failures.TryDequeue(out var failure) ? throw failure : Task.FromResult(new HealthResult("ok", "shop", 1, "embedded"));

    public void Dispose()
    {
    }

    public static GranaryClientException Unavailable(bool reached = true) =>
        new("online_store_unavailable", "down", httpStatus: 503, isTransient: true, mayHaveReachedServer: reached);

    public static GranaryClientException BadRequest() =>
        new("invalid_argument", "bad", httpStatus: 400, isTransient: false, mayHaveReachedServer: true);

    /// <summary>A client over a fake transport, with no delay between retries unless a clock is given.</summary>
    public static GranaryClient Client(FakeTransport transport, Action<GranaryClientOptions>? configure = null)
    {
        var options = new GranaryClientOptions { BaseAddress = new Uri("http://localhost:1"), RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new GranaryClient(options, http: null, transport);
    }
}
