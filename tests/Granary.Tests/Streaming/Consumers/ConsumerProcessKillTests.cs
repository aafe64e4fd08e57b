using System.Diagnostics;
using Granary.Streaming.Sources;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// Kills a consumer process (SIGKILL) part-way through a stream, while it is inside a batch's handler, then starts a
/// consumer under the same name (Redis) or on the same durable (NATS): every message the dead process did not
/// acknowledge reaches the new one, so between them nothing is lost, and the batch the dead one was handling when it
/// died comes back marked as redelivered. One subclass per source.
/// </summary>
public abstract class ConsumerProcessKillTests
{
    private const int Messages = 2000;

    /// <summary>Writes <paramref name="count"/> messages and returns their source ids.</summary>
    protected abstract Task<IReadOnlyCollection<string>> PublishAsync(int count);

    /// <summary>The arguments of <c>Granary.Tests.ConsumerProcess</c> for this source, writing handled ids to <paramref name="output"/> (without the last, HOLD).</summary>
    protected abstract string[] ChildArguments(string output);

    /// <summary>A consumer in this process that takes over from the killed one.</summary>
    private protected abstract IStreamConsumer Successor();

    [Fact]
    public async Task A_consumer_killed_mid_stream_loses_nothing_to_its_successor()
    {
        var published = await PublishAsync(Messages);
        var output = Path.Combine(Path.GetTempPath(), $"granary-consumer-{Guid.NewGuid():N}.txt");
        try
        {
            var handledByDead = await RunAndKillAsync(output, published);

            var collected = new CollectedMessages();
            await using var successor = Successor();
            var atKill = await successor.GetLagAsync(CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var run = successor.RunAsync(collected.Record, stop.Token);
            var waited = Stopwatch.StartNew();
            SourceLag lag = default;
            while (waited.Elapsed < TimeSpan.FromSeconds(60) && !run.IsCompleted)
            {
                var ids = collected.Ids;
                if (published.All(id => ids.Contains(id) || handledByDead.Contains(id)) && (lag = await successor.GetLagAsync(CancellationToken.None)).Total == 0)
                {
                    break;
                }

                await Task.Delay(50);
            }

            await stop.CancelAsync();
            await run;

            var lost = published.Where(id => !handledByDead.Contains(id) && !collected.Ids.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} messages were lost, the first {string.Join(", ", lost.Take(5))}");
            Assert.Equal(0, lag.Total);
            var redelivered = collected.All.Where(m => m.Redelivered).Select(m => m.Id).ToList();
            Assert.True(redelivered.Count > 0, $"nothing was redelivered; at the kill {atKill.Unacknowledged} messages were unacknowledged, the dead process handled {handledByDead.Count}, the successor got {collected.All.Count}");
            Assert.Contains(redelivered, handledByDead.Contains);
            Assert.True(atKill.Unacknowledged > 0, "the batch in the dead process's handler was acknowledged");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs the consumer process until it handled a tenth of the messages and holds a batch, kills it, and returns the ids it handled.</summary>
    private async Task<HashSet<string>> RunAndKillAsync(string output, IReadOnlyCollection<string> published)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Granary.Tests.ConsumerProcess.dll"));
        foreach (var argument in ChildArguments(output))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add((Messages / 10).ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        try
        {
            while (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60) && !Lines(output).Contains("#holding"))
            {
                await Task.Delay(10);
            }

            Assert.False(process.HasExited, $"the consumer process exited on its own with {(process.HasExited ? process.ExitCode : 0)}: {(process.HasExited ? await stderr : "")}");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // A line cut short by the kill is no id of ours: keep only the ids that were published.
        var handled = Lines(output).Where(published.Contains).ToHashSet();
        Assert.InRange(handled.Count, Messages / 10, Messages - 1);
        return handled;
    }

    private static string[] Lines(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}
