using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Server.Http;

/// <summary>
/// <c>now</c> in <c>/materialize</c> and <c>/materialize-incremental</c> is the server's clock, the one its ttl checks use,
/// not the machine's: a server on a fake clock materializes up to that clock's instant and serves by it.
/// </summary>
public sealed class MaterializeNowTests
{
    // The sample's user_stats rows are dated 2026-11-01, ttl 2d: fresh on 11-02, outside max age from 11-03 on.
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Now_is_the_servers_clock_for_both_endpoints_and_for_the_ttl_checks_after_them()
    {
        using var repo = SampleRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        var clock = new FakeTimeProvider(Start);
        await using var server = await ServedRepository.StartAsync(repo.Root, clock);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };

        var incremental = await PostAsync(client, "materialize-incremental", """{"end_ts": "now", "feature_views": ["user_stats"]}""");
        var fresh = await OrdersAsync(client);
        clock.Advance(TimeSpan.FromDays(3));
        var full = await PostAsync(client, "materialize", """{"start_ts": "2026-01-01T00:00:00Z", "end_ts": "NOW", "feature_views": ["user_stats"]}""");
        var stale = await OrdersAsync(client);

        // First time, incremental materialization starts a ttl before its end.
        Assert.Equal(("2026-10-31T00:00:00.0000000Z", "2026-11-02T00:00:00.0000000Z", 2), View(incremental));
        Assert.Equal(("PRESENT", 3L), fresh);
        Assert.Equal(("2026-01-01T00:00:00.0000000Z", "2026-11-05T00:00:00.0000000Z", 2), View(full));
        Assert.Equal("OUTSIDE_MAX_AGE", stale.Status);
    }

    private static (string? Start, string? End, int Rows) View(JsonElement body)
    {
        var view = Assert.Single(body.GetProperty("feature_views").EnumerateArray());
        return (view.GetProperty("start_ts").GetString(), view.GetProperty("end_ts").GetString(), view.GetProperty("rows").GetInt32());
    }

    private static async Task<(string? Status, long? Value)> OrdersAsync(HttpClient client)
    {
        var body = await PostAsync(client, "get-online-features", """{"features": ["user_stats:orders_7d"], "entities": {"user_id": [1]}}""");
        var orders = body.GetProperty("results")[1];
        var value = orders.GetProperty("values")[0];
        return (orders.GetProperty("statuses")[0].GetString(), value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
