using System.Text;
using System.Text.Json;
using Feast.Serving;
using Feast.Types;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Granary.Client;
using Grpc.Net.Client;
using ClientRequest = Granary.Client.OnlineFeaturesRequest;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnDemand;

/// <summary>
/// On-demand features through a real server: request data in Feast's <c>request_context</c> over HTTP and over
/// Feast's gRPC service give the same values; missing request data is a 400 naming the field.
/// </summary>
public sealed class OnDemandServerTests
{
    private static RepeatedValue Column(params Value[] values)
    {
        var column = new RepeatedValue();
        column.Val.AddRange(values);
        return column;
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("get-online-features", UriKind.Relative), content);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Request_context_over_http_and_feast_grpc_gives_the_same_on_demand_values_and_missing_data_is_a_400()
    {
        using var repo = OnDemandRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
            await store.WriteToOnlineStoreAsync("user_stats", OnDemandRepository.UserStats([(1, 3, 120.5), (2, 0, 0.0)]));
        }

        await using var server = await ServedRepository.StartAsync(repo.Root, new FakeTimeProvider(OnDemandRepository.Written.AddDays(1)));
        using var http = new HttpClient { BaseAddress = server.HttpUrl };
        using var channel = GrpcChannel.ForAddress(server.GrpcUrl!);
        var feast = new ServingService.ServingServiceClient(channel);

        var (ok, body) = await PostAsync(http, """
            {"features": ["order_context:amount_over_spend", "order_context:busy_night"], "entities": {"user_id": [1, 2]},
             "request_context": {"amount": [241.0, 5], "hour": [3, 4]}}
            """);
        var request = new GetOnlineFeaturesRequest { Features = new FeatureList { Val = { "order_context:amount_over_spend", "order_context:busy_night" } } };
        request.Entities["user_id"] = Column(new Value { Int64Val = 1 }, new Value { Int64Val = 2 });
        request.RequestContext["amount"] = Column(new Value { DoubleVal = 241.0 }, new Value { DoubleVal = 5 });
        request.RequestContext["hour"] = Column(new Value { Int32Val = 3 }, new Value { Int32Val = 4 });
        var grpc = await feast.GetOnlineFeaturesAsync(request);
        var (missing, error) = await PostAsync(http, """{"features": ["order_context:busy_night"], "entities": {"user_id": [1]}}""");

        Assert.Equal(200, (int)ok.StatusCode);
        var results = body.GetProperty("results");
        Assert.Equal(2.0, results[1].GetProperty("values")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("values")[1].ValueKind);
        Assert.Equal(["PRESENT", "NULL_VALUE"], results[1].GetProperty("statuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([true, false], results[2].GetProperty("values").EnumerateArray().Select(v => v.GetBoolean()));
        Assert.Equal(["user_id", "amount_over_spend", "busy_night"], grpc.Metadata.FeatureNames.Val);
        Assert.Equal(2.0, grpc.Results[1].Values[0].DoubleVal);
        Assert.Equal(Value.ValOneofCase.NullVal, grpc.Results[1].Values[1].ValCase);
        Assert.Equal([true, false], grpc.Results[2].Values.Select(v => v.BoolVal));
        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Equal("invalid_argument", error.GetProperty("error").GetString());
        Assert.Contains("request_context: missing 'hour' (int32)", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_api_the_cli_listing_and_registry_dump_show_on_demand_views()
    {
        using var repo = OnDemandRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var server = await ServedRepository.StartAsync(repo.Root, new FakeTimeProvider(OnDemandRepository.Written.AddDays(1)));
        using var http = new HttpClient { BaseAddress = server.HttpUrl };
        var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("on-demand-feature-views", UriKind.Relative))).RootElement;
        var one = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/v1/on-demand-feature-views/order_context", UriKind.Relative))).RootElement;
        using var unknown = await http.GetAsync(new Uri("on-demand-feature-views/nope", UriKind.Relative));
        var listing = await CliRunner.RunAsync("on-demand-feature-views", "list", "--repo", repo.Root);
        var dump = await CliRunner.RunAsync("registry-dump", "--repo", repo.Root);

        Assert.Equal(["order_context"], list.GetProperty("on_demand_feature_views").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        Assert.Equal(["user_stats"], one.GetProperty("spec").GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal(0, listing.Exit);
        var row = Assert.Single(listing.Out.Split('\n'), l => l.StartsWith("order_context", StringComparison.Ordinal));
        Assert.Contains("user_stats", row, StringComparison.Ordinal);
        Assert.Contains("amount,hour", row, StringComparison.Ordinal);
        Assert.Equal(0, dump.Exit);
        var dumped = JsonDocument.Parse(dump.Out).RootElement.GetProperty("on_demand_feature_views");
        Assert.Equal(one.GetProperty("spec").GetRawText(), Assert.Single(dumped.EnumerateArray()).GetProperty("spec").GetRawText());
    }

    [Theory]
    [InlineData(GranaryTransport.Http)]
    [InlineData(GranaryTransport.Grpc)]
    public async Task The_client_sends_request_data_over_both_transports_and_each_read_gets_its_own_values_past_the_cache(GranaryTransport transport)
    {
        using var repo = OnDemandRepository.Create();
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
            await store.WriteToOnlineStoreAsync("user_stats", OnDemandRepository.UserStats([(1, 3, 120.5), (2, 0, 0.0)]));
        }

        await using var server = await ServedRepository.StartAsync(repo.Root, new FakeTimeProvider(OnDemandRepository.Written.AddDays(1)));
        using var client = new GranaryClient(new GranaryClientOptions
        {
            BaseAddress = server.HttpUrl,
            GrpcAddress = server.GrpcUrl,
            Transport = transport,
            RetryCount = 0,
            CacheSize = 100,
            CacheTtl = TimeSpan.FromMinutes(10),
        });

        ClientRequest Read(double amount1, double amount2, int hour) => ClientRequest.ForFeatures("order_context:amount_over_spend", "order_context:busy_night")
            .WithEntityColumn("user_id", new[] { 1L, 2L })
            .WithRequestColumn("amount", new[] { amount1, amount2 })
            .WithRequestColumn("hour", new[] { hour, hour });
        var first = await client.GetOnlineFeaturesAsync(Read(241.0, 5, 3));
        var second = await client.GetOnlineFeaturesAsync(Read(120.5, 7, 12));
        var mismatch = await Assert.ThrowsAsync<GranaryClientException>(() => client.GetOnlineFeaturesAsync(
            ClientRequest.ForFeatures("order_context:busy_night").WithEntityColumn("user_id", new[] { 1L, 2L }).WithRequestColumn("hour", new[] { 3 })));

        Assert.Equal(241.0 / 120.5, first.GetDouble(0, "order_context:amount_over_spend"));
        Assert.Equal(true, first.GetBoolean(0, "order_context:busy_night"));
        Assert.Equal(false, first.GetBoolean(1, "order_context:busy_night"));
        Assert.Equal(1.0, second.GetDouble(0, "order_context:amount_over_spend"));
        Assert.Equal(false, second.GetBoolean(0, "order_context:busy_night"));
        Assert.Equal("invalid_argument", mismatch.Code);
        Assert.Contains("'hour' has 1 values", mismatch.Message, StringComparison.Ordinal);
    }
}
