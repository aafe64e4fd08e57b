using System.CommandLine;
using System.Globalization;
using Granary.Streams;
using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary stream run [--views v1 v2 ...]</c>, <c>granary stream status [--views ...]</c> and
/// <c>granary stream reset VIEW --to T</c>: the consumers of the <c>redis_stream</c> and <c>nats</c> sources.
/// </summary>
internal static class StreamCommands
{
    public static Command Create()
    {
        var command = new Command("stream", "Run, inspect and replay the consumers of redis_stream and nats sources.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Reset());
        return command;
    }

    private static Command Run()
    {
        var views = ViewsOption("The stream views whose sources to consume (all stream views when not given).");
        var consumer = new Option<string?>("--consumer-name")
        {
            Description = "This process's name in Redis consumer groups: unique per process of a group, stable across its restarts (the host name by default).",
            HelpName = "NAME",
        };
        var batch = new Option<int>("--batch-size") { Description = "The most messages applied as one batch.", DefaultValueFactory = _ => 500, HelpName = "N" };
        var redeliver = new Option<int>("--redeliver-seconds")
        {
            Description = "How long a delivered, unacknowledged message waits before another consumer gets it (NATS ack_wait; Redis claims); longer than the slowest batch.",
            DefaultValueFactory = _ => 30,
            HelpName = "SECONDS",
        };
        var every = new Option<int>("--summary-seconds") { Description = "How often to print each source's counts (they are printed on stop too).", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };
        var command = new Command("run", "Consume the stream sources until Ctrl+C or SIGTERM: each batch is logged offline, applied online, then acknowledged.") { views, consumer, batch, redeliver, every };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var output = context.Output;
            var options = new StreamRunOptions
            {
                Views = Names(parseResult.GetValue(views)),
                ConsumerName = parseResult.GetValue(consumer),
                BatchSize = parseResult.GetValue(batch),
                RedeliverAfter = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(redeliver))),
                SummaryInterval = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(every))),
                Summary = counts => WriteSummary(output, context.TimeProvider, counts),
            };

            // The log (dead letters, retries) goes to stderr, so stdout holds the summary lines alone.
            using var logging = LoggerFactory.Create(logging => logging
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning));
            await (await context.OpenAppliedStoreAsync(cancellationToken)).DisposeAsync();
            await using var store = context.StoreBuilder().UseLoggerFactory(logging).Build();
            output.WriteLine("Consuming; press Ctrl+C to stop.");
            await store.RunStreamsAsync(options, cancellationToken);
            output.WriteLine("Stopped.");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var views = ViewsOption("The stream views whose sources to show (all stream views when not given).");
        var command = new Command("status", "Show each stream source's lag: messages not yet delivered to its consumers, and delivered but not acknowledged.") { views };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var lags = await store.GetStreamLagAsync(Names(parseResult.GetValue(views)), cancellationToken);
            var width = Math.Max("SOURCE".Length, lags.Max(l => l.Source.Length));
            context.Output.WriteLine($"{"SOURCE".PadRight(width)}  {"TYPE",-12}  {"UNDELIVERED",11}  {"UNACKNOWLEDGED",14}");
            foreach (var lag in lags)
            {
                var undelivered = lag.Undelivered?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
                context.Output.WriteLine($"{lag.Source.PadRight(width)}  {lag.SourceType,-12}  {undelivered,11}  {lag.Unacknowledged,14}");
            }

            return 0;
        });
        return command;
    }

    private static Command Reset()
    {
        var view = new Argument<string>("VIEW") { Description = "The stream view whose source to replay (every view over that source is replayed)." };
        var to = new Option<string>("--to")
        {
            Description = "Replay the messages the source received from this instant on (ISO-8601, UTC unless a zone is given).",
            HelpName = "T",
            Required = true,
        };
        var command = new Command("reset", "Move a stream source's consumer position to T, so that its messages since T are delivered again.") { view, to };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var from = TimeArguments.Parse(parseResult.GetValue(to)!, "--to", context.TimeProvider);
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var reset = await store.ResetStreamAsync(parseResult.GetValue(view)!, from, cancellationToken);
            var count = reset.Redelivered?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of";
            context.Output.WriteLine($"Reset source '{reset.Source}' to {from.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ}: {count} messages will be delivered again to {string.Join(", ", reset.Views)}.");
            context.Output.WriteLine("Aggregates are kept: events already counted are skipped by their ids, and events older than the newest event time less allowed_lateness are rejected as late.");
            context.Output.WriteLine("To recompute a view's aggregates from its events instead, run: granary backfill VIEW --start T --end T");
            return 0;
        });
        return command;
    }

    private static Option<string[]> ViewsOption(string description) => new("--views")
    {
        Description = description + " Space- or comma-separated.",
        HelpName = "VIEW",
        AllowMultipleArgumentsPerToken = true,
    };

    private static List<string> Names(string[]? values)
    {
        var names = new List<string>();
        foreach (var value in values ?? [])
        {
            names.AddRange(TimeArguments.SplitList(value));
        }

        return names;
    }

    private static void WriteSummary(TextWriter output, TimeProvider time, IReadOnlyList<StreamSourceCounts> counts)
    {
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var source in counts)
        {
            output.WriteLine($"{now} {source.Source}: {source.Applied} applied, {source.Duplicates} duplicates, {source.Late} late, {source.DeadLettered} dead-lettered{(source.Invalid > 0 ? $", {source.Invalid} failing validation" : "")}");
        }

        output.Flush();
    }
}
