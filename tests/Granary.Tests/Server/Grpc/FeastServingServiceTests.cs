using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Feast.Serving;
using Feast.Types;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Granary.Tests.Server.Grpc;

/// <summary>
/// Feast's <c>feast.serving.ServingService</c> and <c>grpc.health.v1.Health</c>, called through clients generated from
/// Feast's protos and gRPC's, against the real server (<see cref="Granary.Server.GranaryServer"/>) on its gRPC port,
/// and compared with what the HTTP API answers for the same request on the same server. Entities 7000 and above are
/// this class's own.
/// </summary>
public sealed class FeastServingServiceTests : IClassFixture<EmbeddedServedRepository>, IDisposable
{
    private readonly ServedRepository _served;
    private readonly GrpcChannel _channel;
    private readonly ServingService.ServingServiceClient _feast;
    private readonly Health.HealthClient _health;

    public FeastServingServiceTests(EmbeddedServedRepository served)
    {
        _served = served;
        _channel = GrpcChannel.ForAddress(served.Server.GrpcUrl!);
        _feast = new ServingService.ServingServiceClient(_channel);
        _health = new Health.HealthClient(_channel);
    }

    public void Dispose() => _channel.Dispose();

    private static Value Int64(long value) => new() { Int64Val = value };

    private static RepeatedValue Column(params Value[] values)
    {
        var column = new RepeatedValue();
        column.Val.AddRange(values);
        return column;
    }

    private static GetOnlineFeaturesRequest Features(string[] features, params long[] users)
    {
        var request = new GetOnlineFeaturesRequest { Features = new FeatureList { Val = { features } }, FullFeatureNames = true };
        request.Entities["user_id"] = Column([.. users.Select(Int64)]);
        return request;
    }

    private static string HttpBody(string[] features, params long[] users) =>
        JsonSerializer.Serialize(new { features, entities = new { user_id = users }, full_feature_names = true });

    [Fact]
    public async Task A_feast_client_reads_the_values_statuses_and_event_times_the_http_api_serves()
    {
        // 7001 pushed with values, 7002 written with a null spend; user 1's user_stats row is past its 2d ttl (read
        // with the real clock), 7001 has none there, and 99 has no row anywhere.
        await _served.PostAsync("/push", """
            {"push_source_name": "user_stats_push", "df": {"user_id": [7001], "event_timestamp": ["2026-11-05T00:00:00.25Z"], "orders_7d": [4], "spend_7d": [1.5]}}
            """);
        await _served.PostAsync("/write-to-online-store", """
            {"feature_view_name": "live_stats", "df": {"user_id": [7002], "event_timestamp": ["2026-11-06T00:00:00Z"], "orders_7d": [8], "spend_7d": [null]}}
            """);
        string[] features = ["live_stats:orders_7d", "live_stats:spend_7d", "user_stats:orders_7d"];
        long[] users = [7001, 7002, 1, 99];

        var feast = await _feast.GetOnlineFeaturesAsync(Features(features, users));
        var (http, body) = await _served.PostAsync("/get-online-features", HttpBody(features, users));

        Assert.Equal(200, (int)http.StatusCode);
        Assert.Equal(["user_id", "live_stats__orders_7d", "live_stats__spend_7d", "user_stats__orders_7d"], feast.Metadata.FeatureNames.Val);
        Assert.Equal(body.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()), feast.Metadata.FeatureNames.Val);
        Assert.Equal(
            [FieldStatus.Present, FieldStatus.Present, FieldStatus.NullValue, FieldStatus.NotFound, FieldStatus.OutsideMaxAge, FieldStatus.NotFound],
            [feast.Results[1].Statuses[0], feast.Results[2].Statuses[0], feast.Results[2].Statuses[1], feast.Results[3].Statuses[0], feast.Results[3].Statuses[2], feast.Results[3].Statuses[3]]);
        Assert.Equal(4, feast.Results[1].Values[0].Int64Val);
        Assert.Equal(1.5, feast.Results[2].Values[0].DoubleVal);
        Assert.Equal(Value.ValOneofCase.NullVal, feast.Results[2].Values[1].ValCase);
        Assert.Equal(new DateTimeOffset(2026, 11, 5, 0, 0, 0, 250, TimeSpan.Zero), feast.Results[1].EventTimestamps[0].ToDateTimeOffset());
        AssertSameAsHttp(body.GetProperty("results"), feast);
    }

    [Fact]
    public async Task A_feature_service_with_full_feature_names_reads_as_over_http()
    {
        await _served.PostAsync("/push", """
            {"push_source_name": "user_stats_push", "df": {"user_id": [7101], "event_timestamp": ["2026-11-05T00:00:00Z"], "orders_7d": [6], "spend_7d": [2.5]}}
            """);
        var request = new GetOnlineFeaturesRequest { FeatureService = "live_model", FullFeatureNames = true };
        request.Entities["user_id"] = Column(Int64(7101), Int64(1));

        var feast = await _feast.GetOnlineFeaturesAsync(request);
        var (_, body) = await _served.PostAsync("/get-online-features", """{"feature_service": "live_model", "entities": {"user_id": [7101, 1]}, "full_feature_names": true}""");

        Assert.Equal(["user_id", "live_stats__orders_7d", "user_stats__spend_7d"], feast.Metadata.FeatureNames.Val);
        Assert.Equal(6, feast.Results[1].Values[0].Int64Val);
        AssertSameAsHttp(body.GetProperty("results"), feast);
    }

    public static TheoryData<string, string[], string, long, StatusCode, int> Mistakes => new()
    {
        { "an unknown view", ["nope:orders_7d"], "user_id", 1, StatusCode.NotFound, 404 },
        { "an unknown feature", ["user_stats:orders_30d"], "user_id", 1, StatusCode.NotFound, 404 },
        { "a key the view does not have", ["user_stats:orders_7d"], "item_id", 1, StatusCode.InvalidArgument, 400 },
        { "no features", [], "user_id", 1, StatusCode.InvalidArgument, 400 },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_gets_the_grpc_status_and_error_code_of_its_http_refusal(string mistake, string[] features, string key, long id, StatusCode status, int httpStatus)
    {
        var request = new GetOnlineFeaturesRequest { Features = new FeatureList { Val = { features } } };
        request.Entities[key] = Column(Int64(id));
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["features"] = features, ["entities"] = new Dictionary<string, long[]> { [key] = [id] } });

        var error = await Assert.ThrowsAsync<RpcException>(() => _feast.GetOnlineFeaturesAsync(request).ResponseAsync);
        var (http, body) = await _served.PostAsync("/get-online-features", json);

        Assert.True(status == error.StatusCode, $"{mistake}: {error.StatusCode}");
        Assert.Equal(httpStatus, (int)http.StatusCode);
        Assert.Equal(body.GetProperty("error").GetString(), error.Trailers.GetValue("granary-error-code"));
        Assert.Equal(body.GetProperty("detail").GetString(), error.Status.Detail);
    }

    [Fact]
    public async Task A_value_kind_granary_has_no_type_for_is_invalid_argument_naming_the_key_and_row()
    {
        var request = Features(["user_stats:orders_7d"]);
        request.Entities["user_id"] = Column(Int64(1), new Value { Int64SetVal = new Int64Set { Val = { 1, 2 } } });

        var error = await Assert.ThrowsAsync<RpcException>(() => _feast.GetOnlineFeaturesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("entities.user_id[1]", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("int64_set_val", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_feast_serving_info_reports_the_version_the_cli_prints()
    {
        var info = await _feast.GetFeastServingInfoAsync(new GetFeastServingInfoRequest());
        var (exit, printed, _) = await Granary.Tests.Infrastructure.CliRunner.RunAsync("version");

        Assert.Equal(0, exit);
        Assert.StartsWith($"granary {info.Version} (", printed, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", info.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("feast.serving.ServingService")]
    [InlineData("granary.v1.FeatureServing")]
    public async Task The_health_service_answers_serving_while_registry_and_online_store_answer(string service)
    {
        var health = await _health.CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_health_service_does_not_know_other_services()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _health.CheckAsync(new HealthCheckRequest { Service = "feast.serving.Nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    /// <summary>Column by column and cell by cell: the Feast value's kind carries the JSON value, with the same status and event time.</summary>
    private static void AssertSameAsHttp(JsonElement results, GetOnlineFeaturesResponse feast)
    {
        Assert.Equal(results.GetArrayLength(), feast.Results.Count);
        for (var c = 0; c < feast.Results.Count; c++)
        {
            var json = results[c];
            var vector = feast.Results[c];
            var values = json.GetProperty("values");
            Assert.Equal(values.GetArrayLength(), vector.Values.Count);
            for (var r = 0; r < vector.Values.Count; r++)
            {
                var where = $"column {c}, row {r}";
                AssertSameValue(values[r], vector.Values[r], where);
                Assert.True(json.GetProperty("statuses")[r].GetString() == Name(vector.Statuses[r]), $"{where}: {json.GetProperty("statuses")[r]} vs {vector.Statuses[r]}");
                var time = DateTimeOffset.Parse(json.GetProperty("event_timestamps")[r].GetString()!, CultureInfo.InvariantCulture);
                Assert.True(time == vector.EventTimestamps[r].ToDateTimeOffset(), $"{where}: {time:O} vs {vector.EventTimestamps[r]}");
            }
        }
    }

    private static void AssertSameValue(JsonElement json, Value value, string where)
    {
        switch (value.ValCase)
        {
            case Value.ValOneofCase.NullVal:
                Assert.True(json.ValueKind == JsonValueKind.Null, $"{where}: {json} vs null");
                break;
            case Value.ValOneofCase.Int64Val:
                Assert.True(json.GetInt64() == value.Int64Val, $"{where}: {json} vs {value.Int64Val}");
                break;
            case Value.ValOneofCase.DoubleVal:
                Assert.True(json.GetDouble() == value.DoubleVal, $"{where}: {json} vs {value.DoubleVal}");
                break;
            default:
                Assert.Fail($"{where}: the sample has no {value.ValCase} values.");
                break;
        }
    }

    private static string Name(FieldStatus status) => status switch
    {
        FieldStatus.Present => "PRESENT",
        FieldStatus.NullValue => "NULL_VALUE",
        FieldStatus.NotFound => "NOT_FOUND",
        FieldStatus.OutsideMaxAge => "OUTSIDE_MAX_AGE",
        _ => status.ToString(),
    };
}
