using System.Text.Json;
using Granary.Cli;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>The quickstart end to end, then every command it suggests trying next, run exactly as printed.</summary>
public sealed class QuickstartCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "granary-quickstart-test-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Every_try_next_command_of_the_quickstart_runs_as_printed()
    {
        var quickstart = await CliRunner.RunAsync("quickstart", "--dir", _root);
        Assert.True(quickstart.Exit == 0, quickstart.Err);
        AssertShowsGovernance(quickstart.Out);
        AssertShowsEnvironments(quickstart.Out, _root);
        AssertShowsTransformsAndExperiment(quickstart.Out);

        var commands = TryNext(quickstart.Out);
        Assert.True(commands.Count >= 6, quickstart.Out);
        foreach (var line in commands)
        {
            var args = Arguments(line);
            Assert.Equal("granary", args[0]);
            if (args[1] == "serve")
            {
                await AssertServesAsync([.. args.Skip(1)]);
                continue;
            }

            var (exit, output, err) = await CliRunner.RunAsync([.. args.Skip(1)]);
            Assert.True(exit == 0, $"{line}\n{err}");
            Assert.NotEmpty(output);
            if (args[1] == "get-online")
            {
                using var json = JsonDocument.Parse(output);
            }
        }
    }

    // The governance step changed user_activity's ttl (a minor change) and applied it: two versions, newest first,
    // the feature's lineage from its view to the service that serves it, and that service in the impact list.
    private static void AssertShowsGovernance(string output)
    {
        var text = output.ReplaceLineEndings("\n");
        var step = text.IndexOf("9. Governance:", StringComparison.Ordinal);
        Assert.True(step >= 0, output);
        var governance = text[step..text.IndexOf("Try next:", step, StringComparison.Ordinal)];
        Assert.Matches(@"(?s)1\.1\.0\s.*\n\s+1\.0\.0\s", governance);
        Assert.Contains("upstream:   feature_view user_activity", governance, StringComparison.Ordinal);
        Assert.Contains("feature_service ctr_model_v1", governance, StringComparison.Ordinal);
        Assert.Matches(@"affects the feature services: .*ctr_model_v1", governance);
    }

    // Step 12 applied the definitions to dev's own registry and augmented the impressions there; step 13 printed
    // prod's configuration with its connection strings (each holding a password variable) masked.
    private static void AssertShowsTransformsAndExperiment(string output)
    {
        var step = output.IndexOf("14. Derived and on-demand features", StringComparison.Ordinal);
        Assert.True(step >= 0, output);
        var text = output[step..];
        Assert.Matches(@"user_engagement:engagement_score\s+[0-9.]+\s+PRESENT", text);
        Assert.Matches(@"bid_cpm=2\.5, hour=3\s+[0-9.]+\s+(True|False)\s+0\s+2\.5\s", text);
        Assert.Matches(@"bid_cpm=14, hour=15\s+[0-9.]+\s+False\s+2\s+10\s", text);
        Assert.Matches(@"\n\s+control\s+1\.0\.0\s+0\.5\s+\d+\s+\d+", text);
        Assert.Matches(@"\n\s+treatment\s+1\.1\.0\s+0\.5\s+\d+\s+\d+", text);
        Assert.Contains("Sample ratio check: p = ", text, StringComparison.Ordinal);
    }

    private static void AssertShowsEnvironments(string output, string root)
    {
        var text = output.ReplaceLineEndings("\n");
        var step = text.IndexOf("12. Environments:", StringComparison.Ordinal);
        Assert.True(step >= 0, output);
        var environments = text[step..text.IndexOf("Try next:", step, StringComparison.Ordinal)];
        Assert.True(File.Exists(Path.Combine(root, "data", "dev-registry.db")), environments);
        Assert.Matches(@"x \d+ columns \(7 features", environments);
        Assert.Contains("user_activity__ctr_7d", environments, StringComparison.Ordinal);
        Assert.Contains("registry.connection: ***", environments, StringComparison.Ordinal);
        Assert.Contains("online_store.connection: ***", environments, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", environments, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("offline_store: duckdb, inherited from granary.yaml", environments, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// Runs the printed serve command until it says it is serving, then stops it as Ctrl+C would. The printed command
    /// uses the default ports, which another test or program may hold, so free ones are appended (a later option wins).
    /// </summary>
    private static async Task AssertServesAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        using var stop = new CancellationTokenSource();
        var run = GranaryCli.RunAsync([.. args, "--port", "0", "--grpc-port", "-1"], synchronizedOutput, error, stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Read(synchronizedOutput, output).Contains("Press Ctrl+C to stop.", StringComparison.Ordinal) && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        var exit = await run;
        Assert.True(exit == 0, error.ToString());
        Assert.Contains("Press Ctrl+C to stop.", output.ToString(), StringComparison.Ordinal);
    }

    // TextWriter.Synchronized locks on the wrapper for every write; reading under the same lock sees whole writes.
    private static string Read(TextWriter synchronizedWriter, StringWriter inner)
    {
        lock (synchronizedWriter)
        {
            return inner.ToString();
        }
    }

    private static List<string> TryNext(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, "Try next:");
        Assert.True(start >= 0, output);
        return [.. lines.Skip(start + 1).Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    /// <summary>A printed command as the shell would split it: words, 'single-quoted' words, and a trailing # comment dropped.</summary>
    private static List<string> Arguments(string line)
    {
        var args = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            args.Add(word.ToString());
        }

        return args;
    }
}
