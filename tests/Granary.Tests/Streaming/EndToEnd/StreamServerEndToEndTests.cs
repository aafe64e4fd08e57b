using System.Net;
using System.Text.Json;
using Granary.Contracts.Grpc.V1;
using Granary.Core.Time;
using Granary.Tests.Server;
using Granary.Tests.Server.Grpc;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// A stream view served by a real <see cref="Granary.Server.GranaryServer"/> over a YAML repository: events pushed over
/// HTTP and gRPC are aggregated, and both protocols read the aggregates back with the statuses and event times the
/// issue states; a late row is reported in the push answer and counted nowhere.
/// </summary>
public sealed class StreamServerEndToEndTests
{
    private static readonly DateTimeOffset Noon = StreamParityRepository.Noon;

    [Fact]
    public async Task Events_pushed_over_http_and_grpc_are_served_over_both_with_status_and_newest_event_time()
    {
        using var repo = await StreamParityRepository.CreateAsync("served");
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        var clock = new FakeTimeProvider(Noon.AddMinutes(6));
        await using var server = await ServedRepository.StartAsync(repo.Root, clock);
        using var http = new HttpClient { BaseAddress = server.HttpUrl };
        using var channel = GrpcChannel.ForAddress(server.GrpcUrl!);
        var grpc = new FeatureServingClient(channel.CreateCallInvoker());

        // Over HTTP, user 11 spends 3.0 at 12:05 and 1.0 at 12:02, user 12 5.0 at 12:03 (the same id as user 11's first).
        var (pushed, answer) = await PostAsync(http, "/push", """
            {"push_source_name": "txn_push", "to": "online_and_offline", "df": {
              "user_id": [11, 11, 12],
              "event_timestamp": ["2026-03-01T12:05:00Z", "2026-03-01T12:02:00Z", "2026-03-01T12:03:00Z"],
              "amount": [3.0, 1.0, 5.0], "units": [1, 1, 1], "merchant": ["a", "b", "c"], "txn_id": ["s1", "s2", "s1"]}}
            """);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.Equal((3, 0), (answer.GetProperty("rows").GetInt32(), answer.GetProperty("late_rows").GetInt32()));

        // Over gRPC: 11:50 is 15 minutes behind 12:05 (late), s2 again (a redelivery), user 13 2.5 at 12:04.
        var push = new PushRequest { PushSourceName = "txn_push", To = PushTarget.OnlineAndOffline };
        push.Columns["user_id"] = Wire.Column(Wire.Int64(11), Wire.Int64(11), Wire.Int64(13));
        push.Columns["event_timestamp"] = Wire.Column(Wire.Timestamp(Noon.AddMinutes(-10)), Wire.Timestamp(Noon.AddMinutes(2)), Wire.Timestamp(Noon.AddMinutes(4)));
        push.Columns["amount"] = Wire.Column(Wire.Double(100), Wire.Double(1), Wire.Double(2.5));
        push.Columns["units"] = Wire.Column(Wire.Int64(1), Wire.Int64(1), Wire.Int64(1));
        push.Columns["merchant"] = Wire.Column(Wire.String("y"), Wire.String("b"), Wire.String("d"));
        push.Columns["txn_id"] = Wire.Column(Wire.String("s3"), Wire.String("s2"), Wire.String("s4"));
        var grpcPushed = await grpc.PushAsync(push);
        Assert.Equal((3, 1), (grpcPushed.Rows, grpcPushed.LateRows));

        // Over HTTP again: user 12 at 11:40 is 25 minutes behind the newest event, late; the answer says so.
        var (late, lateAnswer) = await PostAsync(http, "/push", """
            {"push_source_name": "txn_push", "to": "online_and_offline", "df": {
              "user_id": [12], "event_timestamp": ["2026-03-01T11:40:00Z"],
              "amount": [50.0], "units": [1], "merchant": ["x"], "txn_id": ["s5"]}}
            """);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal((1, 1), (lateAnswer.GetProperty("rows").GetInt32(), lateAnswer.GetProperty("late_rows").GetInt32()));

        clock.SetUtcNow(Noon.AddMinutes(10));
        var (read, body) = await PostAsync(http, "/get-online-features", """
            {"features": ["user_spend:count_lifetime", "user_spend:sum_amount_lifetime", "user_spend:last_k_merchant_1h"],
             "entities": {"user_id": [11, 12, 13, 99]}}
            """);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var results = body.GetProperty("results");
        Assert.Equal(new long?[] { 2, 1, 1, null }, Numbers(results[1].GetProperty("values"), e => e.GetInt64()));
        Assert.Equal(new double?[] { 4, 5, 2.5, null }, Numbers(results[2].GetProperty("values"), e => e.GetDouble()));
        Assert.Equal(["a", "b"], results[3].GetProperty("values")[0].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["PRESENT", "PRESENT", "PRESENT", "NOT_FOUND"], Strings(results[1].GetProperty("statuses")));
        Assert.Equal(["2026-03-01T12:05:00Z", "2026-03-01T12:03:00Z", "2026-03-01T12:04:00Z"], Strings(results[1].GetProperty("event_timestamps")).Take(3));

        var request = new GetOnlineFeaturesRequest { Features = { "user_spend:count_10m", "user_spend:sum_amount_10m", "user_spend:count_lifetime" } };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(11), Wire.Int64(99));
        clock.SetUtcNow(Noon.AddMinutes(30));
        var grpcRead = await grpc.GetOnlineFeaturesAsync(request);

        // At 12:30 the 10m window starts at 12:20: user 11 has no event in it (count 0, sum null) but is PRESENT.
        Assert.Equal(["user_id", "count_10m", "sum_amount_10m", "count_lifetime"], grpcRead.FeatureNames);
        Assert.Equal(0, grpcRead.Results[1].Values[0].Int64Val);
        Assert.Equal(Value.ValOneofCase.NullVal, grpcRead.Results[2].Values[0].ValCase);
        Assert.Equal(2, grpcRead.Results[3].Values[0].Int64Val);
        Assert.Equal([FieldStatus.Present, FieldStatus.NotFound], grpcRead.Results[1].Statuses);
        Assert.Equal(UtcMicros.From(Noon.AddMinutes(5)), grpcRead.Results[3].EventTimestamps[0]);
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static List<T?> Numbers<T>(JsonElement array, Func<JsonElement, T> read)
        where T : struct =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (T?)null : read(e)).ToList();

    private static List<string?> Strings(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.ToString()).ToList();
}
