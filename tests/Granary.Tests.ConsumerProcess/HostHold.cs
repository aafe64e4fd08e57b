using Granary.Offline;
using Granary.Streaming.Ingest;
using Granary.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Tests.ConsumerProcess;

/// <summary>
/// <c>host REPO HOLD</c>: runs the stream host's batch handler (<see cref="SourceIngestion"/>: decode, judge, log
/// offline, apply online) on the one stream source of the repository, as Redis consumer <c>worker-1</c> in batches of
/// 20 with a 2 s redelivery wait. Once HOLD events are handled it writes <c>#holding</c> to stdout and never returns
/// from that batch's handler: a kill then lands, for certain, after a batch was logged and applied and before it was
/// acknowledged, the moment that tests counting each event once.
/// </summary>
internal static class HostHold
{
    public static async Task<int> RunAsync(string repository, int hold)
    {
        await using var store = FeatureStore.Open(repository);
        var feeds = StreamFeed.Of(await store.GetRegistryAsync(), null);
        if (feeds.Count != 1)
        {
            await Console.Error.WriteLineAsync($"expected one stream source, found {feeds.Count}");
            return 2;
        }

        var feed = feeds[0];
        await store.Online.InitializeAsync();
        var ingestion = new SourceIngestion(
            feed, store.Online, store.Offline.GetCapability<IPushLog>()!, store.RepositoryRoot, TimeProvider.System, StreamIngestMetrics.For(null), NullLogger.Instance);
        var options = StreamHost.ConsumerOptions(new StreamRunOptions { ConsumerName = "worker-1", BatchSize = 20, RedeliverAfter = TimeSpan.FromSeconds(2) });
        await using var consumer = await StreamSourceConnection.ConnectAsync(feed.Source, options, NullLogger.Instance);
        var handled = 0;
        await consumer.RunAsync(
            async (batch, cancellationToken) =>
            {
                await ingestion.HandleAsync(batch, cancellationToken);
                handled += batch.Count;
                if (handled >= hold)
                {
                    await Console.Out.WriteLineAsync("#holding");
                    await Console.Out.FlushAsync(cancellationToken);
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
            },
            CancellationToken.None);
        return 0;
    }
}
