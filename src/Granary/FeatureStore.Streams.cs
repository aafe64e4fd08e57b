using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Streaming.Ingest;
using Granary.Streams;
using Microsoft.Extensions.Logging;

namespace Granary;

// The stream consumers: run them, see their lag, replay a source.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Consumes the <c>redis_stream</c> and <c>nats</c> sources of <paramref name="views"/> (every stream view's when
    /// null or empty) until <paramref name="cancellationToken"/> is cancelled: each batch is judged for lateness,
    /// its accepted events are logged to the source's batch source and applied to the online aggregates, and only
    /// then acknowledged. Cancelling finishes the batches in hand and returns.
    /// </summary>
    /// <exception cref="GranaryException">A view is unknown, not a stream view, or fed by push; or the stores cannot keep stream events.</exception>
    public Task RunStreamsAsync(IReadOnlyList<string>? views, CancellationToken cancellationToken = default) =>
        RunStreamsAsync(new StreamRunOptions { Views = views }, cancellationToken);

    /// <summary>As <see cref="RunStreamsAsync(IReadOnlyList{string}, CancellationToken)"/>, with the consumers' settings and a summary callback.</summary>
    public async Task RunStreamsAsync(StreamRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await EnsureOnlineInitializedAsync(cancellationToken);
        var feeds = StreamFeed.Of(await GetRegistryAsync(cancellationToken), options.Views);
        var host = new StreamHost(
            feeds, Offline, Writes, Config.RepositoryRoot, _options.TimeProvider, StreamIngestMetrics.For(_options.MeterFactory), _options.LoggerFactory.CreateLogger<StreamHost>(), options);
        await host.RunAsync(cancellationToken);
    }

    /// <summary>The lag of every stream source of <paramref name="views"/> (all stream views' when null or empty), asked of each source now.</summary>
    /// <exception cref="GranaryException"><see cref="ErrorCodes.SourceUnavailable"/> naming the first source that did not answer.</exception>
    public async Task<IReadOnlyList<StreamSourceLag>> GetStreamLagAsync(IReadOnlyList<string>? views = null, CancellationToken cancellationToken = default)
    {
        var feeds = StreamFeed.Of(await GetRegistryAsync(cancellationToken), views);
        var consumerOptions = StreamHost.ConsumerOptions(new StreamRunOptions());
        var lags = new List<StreamSourceLag>(feeds.Count);
        foreach (var feed in feeds)
        {
            var lag = await StreamSourceConnection.AskAsync(
                feed.Source, consumerOptions, _logger, "report its lag", static (consumer, token) => consumer.GetLagAsync(token), cancellationToken);
            lags.Add(new StreamSourceLag(feed.Source.Name, feed.Source.SourceType, lag.Undelivered, lag.Unacknowledged));
        }

        return lags;
    }

    /// <summary>
    /// Moves the consumer position of <paramref name="view"/>'s source back (or forward) to <paramref name="from"/>,
    /// so that the messages the source received since are delivered again to every view over it. Aggregates are
    /// kept: a replayed event whose id a key already counted is skipped, and one older than the source's newest
    /// event time by more than <c>allowed_lateness</c> is rejected as late, so a replay never counts an event twice.
    /// </summary>
    /// <exception cref="GranaryException">The view is unknown, not a stream view, or fed by push; or its source did not answer.</exception>
    public async Task<StreamResetResult> ResetStreamAsync(string view, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(view);
        var feed = StreamFeed.Of(await GetRegistryAsync(cancellationToken), [view])[0];
        var source = feed.Source;
        var consumerOptions = StreamHost.ConsumerOptions(new StreamRunOptions());
        var again = await StreamSourceConnection.AskAsync(
            source, consumerOptions, _logger, "move its consumer position", (consumer, token) => consumer.ResetAsync(from, token), cancellationToken);
        return new StreamResetResult(source.Name, [.. feed.Views.Select(v => v.Name)], from, again);
    }
}
