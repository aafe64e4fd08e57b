using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Online;
using Granary.Streaming.Ingest;
using Granary.Streaming.Sources;
using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>
/// Runs one consumer per stream source of the selected views into the ingestor (<see cref="SourceIngestion"/>) until
/// cancelled: <c>granary stream run</c>, <c>granary serve --with-streams</c> and
/// <see cref="FeatureStore.RunStreamsAsync(StreamRunOptions, CancellationToken)"/> all come here.
/// </summary>
/// <remarks>
/// A batch that fails (the online store or the offline log did not answer) stays unacknowledged; the source's
/// consumer starts again after a wait that doubles up to <see cref="LongestRetry"/>, reads its pending batch back
/// first (Redis) or gets it after <c>ack_wait</c> (NATS), and the events' ids keep the retry from counting twice. A
/// host is one process of a group: any number may share it (see docs/streaming.md, "Running the consumers").
/// </remarks>
internal sealed class StreamHost
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<StreamFeed> _feeds;
    private readonly IOfflineEngine _offline;
    private readonly IOnlineStore _online;
    private readonly string _repositoryRoot;
    private readonly TimeProvider _time;
    private readonly StreamIngestMetrics _metrics;
    private readonly ILogger _logger;
    private readonly StreamRunOptions _options;

    public StreamHost(IReadOnlyList<StreamFeed> feeds, IOfflineEngine offline, IOnlineStore online, string repositoryRoot, TimeProvider time, StreamIngestMetrics metrics, ILogger logger, StreamRunOptions options)
    {
        _feeds = feeds;
        _offline = offline;
        _online = online;
        _repositoryRoot = repositoryRoot;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _options = options;
    }

    /// <summary>
    /// How each consumer reads, from the run's options. Its waits (polls, retries) are real time whatever the store's
    /// clock: that clock decides what an event's time means (lateness, values at now), not how long a poll sleeps.
    /// </summary>
    public static StreamConsumerOptions ConsumerOptions(StreamRunOptions options) => new()
    {
        ConsumerName = options.ConsumerName ?? Environment.MachineName,
        BatchSize = options.BatchSize,
        RedeliverAfter = options.RedeliverAfter,
    };

    /// <summary>Consumes until <paramref name="cancellationToken"/> is cancelled; every batch in hand then is finished and acknowledged.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var log = _offline.Require<IPushLog>(
            "log the events of stream sources to their batch sources", "Configure an offline_store that keeps pushed rows (duckdb, postgres), so training data sees the events.");
        var consumerOptions = ConsumerOptions(_options);
        consumerOptions.Validate();
        var consumers = new List<IStreamConsumer>(_feeds.Count);
        var ingestions = new List<SourceIngestion>(_feeds.Count);
        try
        {
            foreach (var feed in _feeds)
            {
                consumers.Add(await StreamSourceConnection.ConnectAsync(feed.Source, consumerOptions, _logger));
                ingestions.Add(new SourceIngestion(feed, _online, log, _repositoryRoot, _time, _metrics, _logger));
                StreamHostLog.Consuming(_logger, feed.Source.Name, feed.ViewNames, feed.Log.Name);
            }

            var runs = new Task[consumers.Count];
            for (var i = 0; i < runs.Length; i++)
            {
                runs[i] = ConsumeAsync(consumers[i], ingestions[i], cancellationToken);
            }

            await SummarizeUntilStoppedAsync(ingestions, cancellationToken);
            await Task.WhenAll(runs);
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }
        }

        Summarize(ingestions);
        StreamHostLog.Stopped(_logger);
    }

    private async Task ConsumeAsync(IStreamConsumer consumer, SourceIngestion ingestion, CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await consumer.RunAsync(ingestion.HandleAsync, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                StreamHostLog.BatchFailed(_logger, consumer.SourceName, delay, e);
                try
                {
                    await Task.Delay(delay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = FirstRetry;
        }
    }

    private async Task SummarizeUntilStoppedAsync(List<SourceIngestion> ingestions, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.SummaryInterval, cancellationToken);
                Summarize(ingestions);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the final summary follows once every consumer has finished its batch.
        }
    }

    private void Summarize(List<SourceIngestion> ingestions)
    {
        var counts = new StreamSourceCounts[ingestions.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = ingestions[i].Counts;
            StreamHostLog.Summary(_logger, counts[i].Source, counts[i].Applied, counts[i].Duplicates, counts[i].Late, counts[i].DeadLettered);
        }

        _options.Summary?.Invoke(counts);
    }
}
