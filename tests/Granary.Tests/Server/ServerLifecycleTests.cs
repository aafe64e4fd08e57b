using System.Net;
using System.Text.RegularExpressions;
using Granary.Cli;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Server;

/// <summary>What happens around requests: applies seen without a restart, and <c>granary serve</c> start to Ctrl+C.</summary>
public sealed partial class ServerLifecycleTests
{
    [Fact]
    public async Task An_apply_made_while_the_server_runs_is_served_without_a_restart()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };
        var before = await client.GetAsync(new Uri("feature-views/user_stats_v2", UriKind.Relative));

        repo.Write("v2.yaml", """
            feature_views:
              - name: user_stats_v2
                entities: [user]
                source: user_stats_source
                schema: [{name: orders_7d, dtype: int64}]
            """);
        await using (var other = FeatureStore.Open(repo.Root))
        {
            await other.ApplyAsync();
        }

        var after = HttpStatusCode.NotFound;
        for (var attempt = 0; attempt < 50 && after != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
            after = (await client.GetAsync(new Uri("feature-views/user_stats_v2", UriKind.Relative))).StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task Granary_serve_prints_its_urls_serves_and_stops_on_cancel()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        using var stop = new CancellationTokenSource();
        var run = GranaryCli.RunAsync(["serve", "--repo", repo.Root, "--port", "0", "--grpc-port", "0"], synchronizedOutput, TextWriter.Synchronized(error), stop.Token);

        Match url = Match.Empty;
        for (var attempt = 0; attempt < 200 && !url.Success && !run.IsCompleted; attempt++)
        {
            await Task.Delay(50);
            url = HttpUrl().Match(output.ToString());
        }

        Assert.True(url.Success, $"no URL printed; output: {output} error: {error}");
        using var client = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value) };
        var health = await client.GetAsync(new Uri("health", UriKind.Relative));
        await stop.CancelAsync();
        var exit = await run;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, exit);
        Assert.Contains("gRPC  http://", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Stopped.", output.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"HTTP  (http://\S+)")]
    private static partial Regex HttpUrl();
}
