using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Tests.Streaming;

namespace Granary.Tests.Offline;

/// <summary>
/// Where training data reads a stream view's events: its push or stream source's batch source, with the stream
/// source's event-time column when it names one; and what a request that cannot be answered says.
/// </summary>
public sealed class StreamEventLogTests
{
    private static readonly FileSource Log = new() { Name = "txn_log", Path = "data/txn.parquet", Format = FileFormat.Parquet, TimestampField = "event_timestamp" };

    private static DefinitionSet Definitions(params DataSource[] sources) => new() { Sources = [Log, .. sources] };

    [Fact]
    public void A_push_source_logs_to_its_batch_source_with_the_batch_sources_timestamp()
    {
        var push = new PushSource { Name = "txn_push", BatchSourceName = "txn_log" };

        var source = StreamEventLog.Of(Definitions(push), StreamOfflineScenario.View(source: "txn_push"));

        Assert.Equal(Log, source);
    }

    [Fact]
    public void A_stream_source_logs_to_its_batch_source_and_its_timestamp_field_names_the_event_time()
    {
        var withTime = new RedisStreamSource { Name = "txn_stream", BatchSourceName = "txn_log", TimestampField = "ts", Connection = "127.0.0.1:6379", Stream = "txn", Group = "g" };
        var withoutTime = withTime with { Name = "txn_stream2", TimestampField = null };

        var timed = StreamEventLog.Of(Definitions(withTime, withoutTime), StreamOfflineScenario.View(source: "txn_stream"));
        var untimed = StreamEventLog.Of(Definitions(withTime, withoutTime), StreamOfflineScenario.View(source: "txn_stream2"));

        Assert.Equal(Log with { TimestampField = "ts" }, timed);
        Assert.Equal(Log, untimed);
    }

    [Fact]
    public void A_stream_source_whose_batch_source_is_missing_is_named_in_the_error()
    {
        var stream = new RedisStreamSource { Name = "txn_stream", BatchSourceName = "nowhere", Connection = "127.0.0.1:6379", Stream = "txn", Group = "g" };

        var error = Assert.Throws<GranaryException>(() => StreamEventLog.Of(Definitions(stream), StreamOfflineScenario.View(source: "txn_stream")));

        Assert.Equal(ErrorCodes.UnknownReference, error.Code);
        Assert.Contains("'txn_stream' names batch_source 'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feature_the_stream_view_does_not_aggregate_is_refused_before_anything_runs_naming_what_it_has()
    {
        var view = new PointInTimeView(StreamOfflineScenario.View(), Log, ["user_id"], ["sum_amount_2h"]);
        var request = new PointInTimeRequest { Entities = EntityTable.FromRelation("entities"), Views = [view], RepositoryRoot = "/tmp" };

        var error = Assert.Throws<GranaryException>(() => new DuckDbOfflineEngine().Explain(request));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Contains("'user_spend' has no feature 'sum_amount_2h'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sum_amount_1h", error.Message, StringComparison.Ordinal);
    }
}
