using System.Globalization;
using System.Net;
using System.Text.Json;
using Granary.Client;
using Granary.Tests.Server;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Client;

/// <summary>
/// The client against a real feature server over HTTP: its values are the server's own answer, a 4xx is never
/// retried, the cache serves within its TTL and not after, and a retried push with an idempotency key is applied once.
/// Each test uses entity ids of its own.
/// </summary>
public sealed class HttpClientServerTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>, IDisposable
{
    private readonly CountingHandler _handler = new();

    public void Dispose() => _handler.Dispose();

    private GranaryClient Client(Action<GranaryClientOptions>? configure = null)
    {
        var options = new GranaryClientOptions { BaseAddress = served.Server.HttpUrl, HttpMessageHandler = _handler, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return new GranaryClient(options);
    }

    private static PushRequest Orders(long user, long orders, string time = "2026-11-03T00:00:00Z") =>
        new PushRequest("user_stats_push")
            .WithColumn("user_id", [user])
            .WithColumn("event_timestamp", [time])
            .WithColumn("orders_7d", [orders])
            .WithColumn("spend_7d", [1.5]);

    private async Task RawPushAsync(long user, long orders, string time = "2026-11-03T00:00:00Z")
    {
        var body = "{\"push_source_name\": \"user_stats_push\", \"df\": {\"user_id\": [" + user + "], \"event_timestamp\": [\"" + time
            + "\"], \"orders_7d\": [" + orders + "], \"spend_7d\": [1.5]}}";
        var (response, _) = await served.PostAsync("/push", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Feature_values_statuses_and_times_equal_the_servers_own_answer()
    {
        using var client = Client();
        await client.PushAsync(Orders(5001, 42));
        string[] features = ["user_stats:spend_7d", "live_stats:orders_7d", "user_stats:orders_7d", "live_stats:spend_7d"];

        var answer = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures(features).WithEntityColumn("user_id", [5001L, 1L, 99L]));
        var (_, raw) = await served.PostAsync("/get-online-features", """
            {"features": ["user_stats:spend_7d", "live_stats:orders_7d", "user_stats:orders_7d", "live_stats:spend_7d"], "entities": {"user_id": [5001, 1, 99]}, "full_feature_names": true}
            """);

        Assert.Equal(features, answer.Features);
        Assert.Equal(42L, answer.GetInt64(0, "live_stats:orders_7d"));
        AssertSameAsRaw(answer, raw, 3);
    }

    [Fact]
    public async Task A_feature_service_answers_as_the_server_does_under_view_colon_feature_names()
    {
        using var client = Client();
        await client.PushAsync(Orders(5002, 7));

        var answer = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatureService("live_model").AddEntity(("user_id", 5002L)).AddEntity(("user_id", 2L)));
        var (_, raw) = await served.PostAsync("/get-online-features", """{"feature_service": "live_model", "entities": {"user_id": [5002, 2]}, "full_feature_names": true}""");

        Assert.Equal(["live_stats:orders_7d", "user_stats:spend_7d"], answer.Features);
        AssertSameAsRaw(answer, raw, 2);
    }

    [Fact]
    public async Task A_4xx_is_never_retried_and_carries_the_servers_code()
    {
        using var client = Client(o => o.RetryCount = 5);
        var (rawResponse, raw) = await served.PostAsync("/get-online-features", """{"features": ["nope:x"], "entities": {"user_id": [1]}, "full_feature_names": true}""");

        var e = await Assert.ThrowsAsync<GranaryClientException>(() =>
            client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("nope:x").AddEntity(("user_id", 1L))));

        Assert.Equal(1, _handler.Requests);
        Assert.Equal(raw.GetProperty("error").GetString(), e.Code);
        Assert.Equal((int)rawResponse.StatusCode, e.HttpStatus);
        Assert.InRange(e.HttpStatus!.Value, 400, 499);
        Assert.False(e.IsTransient);

        var push = await Assert.ThrowsAsync<GranaryClientException>(() => client.PushAsync(new PushRequest("no_such_source") { IdempotencyKey = Guid.NewGuid().ToString() }.AddRow(("user_id", 1L))));
        Assert.Equal("not_found", push.Code);
        Assert.Equal(2, _handler.Requests);
    }

    [Fact]
    public async Task The_cache_serves_repeated_keys_within_its_ttl_and_asks_the_server_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var client = Client(o =>
        {
            o.CacheSize = 100;
            o.CacheTtl = TimeSpan.FromSeconds(30);
            o.TimeProvider = clock;
        });
        await RawPushAsync(5101, 1);
        var request = () => OnlineFeaturesRequest.ForFeatures("live_stats:orders_7d").AddEntity(("user_id", 5101L));

        Assert.Equal(1L, (await client.GetOnlineFeaturesAsync(request())).GetInt64(0, "live_stats:orders_7d"));
        await RawPushAsync(5101, 2, "2026-11-03T01:00:00Z");
        var sent = _handler.Requests;

        Assert.Equal(1L, (await client.GetOnlineFeaturesAsync(request())).GetInt64(0, "live_stats:orders_7d"));
        Assert.Equal(sent, _handler.Requests);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2L, (await client.GetOnlineFeaturesAsync(request())).GetInt64(0, "live_stats:orders_7d"));
        Assert.Equal(sent + 1, _handler.Requests);
    }

    [Fact]
    public async Task A_push_with_an_idempotency_key_is_applied_once_even_when_its_answer_is_lost_and_it_is_retried()
    {
        using var client = Client();
        var lost = 0;

        // The first attempt is applied and its answer lost; before the retry another push (newer by its created
        // time) changes the value, so a second application of the first push would bring 10 back.
        _handler.AfterAnswer = async (request, response) =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/push", StringComparison.Ordinal) && Interlocked.Increment(ref lost) == 1)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await RawPushAsync(5201, 20);
                throw new HttpRequestException("The connection closed before the answer arrived.");
            }
        };
        var push = Orders(5201, 10);
        push.IdempotencyKey = Guid.NewGuid().ToString();

        var result = await client.PushAsync(push);

        Assert.Equal(2, lost);
        Assert.Equal(1, result.Rows);
        Assert.Equal(1, result.OnlineWritten);
        var answer = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("live_stats:orders_7d").AddEntity(("user_id", 5201L)));
        Assert.Equal(20L, answer.GetInt64(0, "live_stats:orders_7d"));
    }

    [Fact]
    public async Task A_push_without_a_key_whose_answer_is_lost_is_not_retried()
    {
        using var client = Client();
        _handler.AfterAnswer = (_, _) => throw new HttpRequestException("The connection closed before the answer arrived.");

        var e = await Assert.ThrowsAsync<GranaryClientException>(() => client.PushAsync(Orders(5301, 1)));

        Assert.True(e.IsTransient);
        Assert.Equal(1, _handler.Requests);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_a_409_conflict()
    {
        using var client = Client();
        var key = Guid.NewGuid().ToString();
        var first = Orders(5401, 1);
        first.IdempotencyKey = key;
        var second = Orders(5401, 2);
        second.IdempotencyKey = key;
        await client.PushAsync(first);

        var e = await Assert.ThrowsAsync<GranaryClientException>(() => client.PushAsync(second));
        var repeat = await client.PushAsync(first);

        Assert.Equal("conflict", e.Code);
        Assert.Equal(409, e.HttpStatus);
        Assert.Equal(1, repeat.Rows);
        var answer = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("live_stats:orders_7d").AddEntity(("user_id", 5401L)));
        Assert.Equal(1L, answer.GetInt64(0, "live_stats:orders_7d"));
    }

    [Fact]
    public async Task Writes_health_and_registry_reads_answer_as_the_server_does()
    {
        using var client = Client();

        var written = await client.WriteToOnlineStoreAsync(new WriteToOnlineStoreRequest("live_stats")
            .AddRow(("user_id", 5501L), ("event_timestamp", new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)), ("orders_7d", 9L), ("spend_7d", 2.0)));
        var health = await client.CheckHealthAsync();
        var views = await client.ListFeatureViewsAsync();
        var view = await client.GetFeatureViewAsync("user_stats");
        var (_, raw) = await served.GetAsync("/feature-views/user_stats");
        var missing = await Assert.ThrowsAsync<GranaryClientException>(() => client.GetFeatureViewAsync("nope"));

        Assert.Equal(1, written.Rows);
        Assert.Equal(9L, (await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("live_stats:orders_7d").AddEntity(("user_id", 5501L)))).GetInt64(0, "live_stats:orders_7d"));
        Assert.Equal(("ok", "shop"), (health.Status, health.Project));
        Assert.Contains(views, v => v.Name == "live_stats" && v.Kind == RegistryObjectKind.FeatureView);
        Assert.Equal(raw.GetProperty("spec").GetRawText(), view.Spec.GetRawText());
        Assert.Equal(raw.GetProperty("meta").GetProperty("hash").GetString(), view.Hash);
        Assert.Equal("not_found", missing.Code);
        Assert.Contains((await client.ListEntitiesAsync()), e => e.Name == "user");
        Assert.Contains((await client.ListFeatureServicesAsync()), s => s.Name == "live_model");
        Assert.Contains((await client.ListDataSourcesAsync()), s => s.Name == "user_stats_push");
        Assert.Equal("user", (await client.GetEntityAsync("user")).Name);
    }

    /// <summary>Every feature column of the client's answer against the raw JSON's column of the same full name.</summary>
    private static void AssertSameAsRaw(OnlineFeatures answer, JsonElement raw, int entities)
    {
        var names = raw.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()!).ToList();
        var results = raw.GetProperty("results");
        Assert.Equal(entities, answer.EntityCount);
        foreach (var feature in answer.Features)
        {
            var column = results[names.IndexOf(feature.Replace(":", "__", StringComparison.Ordinal))];
            for (var e = 0; e < entities; e++)
            {
                var status = column.GetProperty("statuses")[e].GetString();
                var value = column.GetProperty("values")[e];
                var time = DateTimeOffset.Parse(column.GetProperty("event_timestamps")[e].GetString()!, CultureInfo.InvariantCulture);
                Assert.Equal(status, answer.GetStatus(e, feature) switch
                {
                    FeatureStatus.Present => "PRESENT",
                    FeatureStatus.NotFound => "NOT_FOUND",
                    FeatureStatus.NullValue => "NULL_VALUE",
                    _ => "OUTSIDE_MAX_AGE",
                });
                Assert.Equal(time == DateTimeOffset.UnixEpoch ? null : time, answer.GetEventTimestamp(e, feature));
                if (status == "PRESENT")
                {
                    Assert.Equal(
                        value.ValueKind switch
                        {
                            JsonValueKind.Null => null,
                            JsonValueKind.String => value.GetString(),
                            JsonValueKind.Number when value.TryGetInt64(out var whole) && !value.GetRawText().Contains('.') => whole,
                            JsonValueKind.Number => (object)value.GetDouble(),
                            _ => value.GetRawText(),
                        },
                        answer.GetValue(e, feature));
                }
                else
                {
                    Assert.Null(answer.GetValue(e, feature));
                }
            }
        }
    }
}
