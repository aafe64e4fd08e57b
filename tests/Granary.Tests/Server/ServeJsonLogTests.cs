using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Server;

/// <summary><c>granary serve --log-format json</c> as a process: every stdout line is a JSON log event with its named values.</summary>
public sealed class ServeJsonLogTests
{
    [Fact]
    public async Task Every_line_is_a_json_event_with_the_events_named_values()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        var cli = Path.Combine(AppContext.BaseDirectory, "Granary.Cli.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "serve", "--repo", repo.Root, "--port", "0", "--grpc-port", "-1", "--log-format", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();   // drained all along, so the child never blocks on it
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var listening = await ReadUntilAsync(process, lines, stderr, e => Id(e) == 1001, timeout.Token);
            var url = listening.GetProperty("State").GetProperty("Urls").GetString()!;
            Assert.Equal("Granary.Server.GranaryServer", listening.GetProperty("Category").GetString());
            Assert.Equal("Information", listening.GetProperty("LogLevel").GetString());
            Assert.True(DateTimeOffset.TryParse(listening.GetProperty("Timestamp").GetString(), out _));

            // A refused request is logged (event 2001) with its code and detail as values of their own.
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using var body = new StringContent("""{"features": ["no_such_view:x"], "entities": {"user_id": [1]}}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("get-online-features", UriKind.Relative), body, timeout.Token);
            var refused = await ReadUntilAsync(process, lines, stderr, e => Id(e) == 2001, timeout.Token);
            var state = refused.GetProperty("State");
            Assert.Equal((int)response.StatusCode, state.GetProperty("Status").GetInt32());
            Assert.Equal("not_found", state.GetProperty("Code").GetString());
            Assert.Contains("no_such_view", state.GetProperty("Detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
    }

    private static int Id(JsonElement e) => e.TryGetProperty("EventId", out var id) ? id.GetInt32() : -1;

    // Reads stdout lines (each must parse as JSON) until one matches.
    private static async Task<JsonElement> ReadUntilAsync(Process process, List<string> lines, Task<string> stderr, Func<JsonElement, bool> match, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            using var document = JsonDocument.Parse(line);
            if (match(document.RootElement))
            {
                return document.RootElement.Clone();
            }
        }

        throw new InvalidOperationException($"granary serve exited ({await stderr}) after:\n{string.Join('\n', lines)}");
    }
}
