using System.Buffers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Client;
using Granary.Client.Http;
using Granary.Contracts.Http;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Server.Http;
using ClientStatus = Granary.Client.FeatureStatus;
using OnlineFeaturesResponse = Granary.OnlineServing.OnlineFeaturesResponse;
using ServerStatus = Granary.OnlineServing.FeatureStatus;

namespace Granary.Tests.Client;

/// <summary>
/// The client is built on the wire contract: the bodies it writes are read by the server's Contracts readers to the
/// same values, and the server's writers' output is read by the client to the same values.
/// </summary>
public sealed class HttpCodecRoundTripTests
{
    [Property(MaxTest = 200)]
    public Property Online_feature_requests_read_back_to_the_same_features_and_entities() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i * 3)).ToArbitrary(),
            Gen.ArrayOf(Gen.Elements("a", "é", "\"q\"", "tab\t", "💡", "")).ToArbitrary(),
            (ids, names) =>
            {
                var count = Math.Min(ids.Length, names.Length);
                var request = OnlineFeaturesRequest.ForFeatures("user_stats:orders_7d", "v:é")
                    .WithEntityColumn("user_id", ids.Take(count))
                    .WithEntityColumn("name", names.Take(count));

                var read = OnlineFeaturesRequestJson.Parse(Body(b => HttpRequestWriter.WriteOnlineFeatures(b, request)));

                return read.Features.SequenceEqual(["user_stats:orders_7d", "v:é"])
                    && read.FeatureService is null
                    && read.FullFeatureNames
                    && read.Entities["user_id"].Cast<long>().SequenceEqual(ids.Take(count))
                    && read.Entities["name"].Cast<string>().SequenceEqual(names.Take(count));
            });

    [Fact]
    public void A_feature_service_request_names_the_service_and_no_features()
    {
        var request = OnlineFeaturesRequest.ForFeatureService("live_model").AddEntity(("user_id", 7L));

        var read = OnlineFeaturesRequestJson.Parse(Body(b => HttpRequestWriter.WriteOnlineFeatures(b, request)));

        Assert.Equal("live_model", read.FeatureService);
        Assert.Empty(read.Features);
        Assert.Equal([7L], read.Entities["user_id"]);
    }

    [Property(MaxTest = 300)]
    public Property Pushed_values_read_back_as_the_server_reads_them() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<double>().Where(d => double.IsFinite(d) && Math.Truncate(d) != d).ToArbitrary(), Gen.Choose(-5, 5).ToArbitrary(), (number, whole) =>
        {
            var at = new DateTimeOffset(2026, 11, 1, 12, 30, 15, TimeSpan.FromHours(2)).AddTicks(1230);
            var request = new PushRequest("user_stats_push") { To = PushTarget.OnlineAndOffline }
                .AddRow(("user_id", 1L), ("spend_7d", number), ("flag", true), ("event_timestamp", at), ("note", null), ("tags", new[] { "a", "b" }))
                .AddRow(("user_id", 2L), ("spend_7d", (double)whole), ("flag", false), ("event_timestamp", at), ("note", "x"), ("tags", Array.Empty<string>()));

            var read = PushRequestJson.Parse(Body(b => HttpRequestWriter.WritePush(b, request)));
            var spend = read.Columns["spend_7d"];

            // A whole double stays a float on the wire (3.0): the reader keeps it exactly, as a decimal.
            return read.PushSourceName == "user_stats_push"
                && read.To == PushTo.OnlineAndOffline
                && read.Columns["user_id"].SequenceEqual([1L, 2L])
                && spend[0] is double d0 && d0 == number
                && spend[1] is decimal d && d == whole
                && read.Columns["flag"].SequenceEqual([true, false])
                && DateTimeOffset.Parse((string)read.Columns["event_timestamp"][0]!, System.Globalization.CultureInfo.InvariantCulture) == at
                && read.Columns["note"][0] is null
                && ((List<object?>)read.Columns["tags"][0]!).SequenceEqual(["a", "b"]);
        });

    [Fact]
    public void A_write_to_the_online_store_reads_back_to_its_view_and_columns()
    {
        var request = new WriteToOnlineStoreRequest("live_stats").WithColumn("user_id", [1L, 2L]).WithColumn("orders_7d", [3, 4]);

        var read = WriteToOnlineStoreRequestJson.Parse(Body(b => HttpRequestWriter.WriteToOnlineStore(b, request)));

        Assert.Equal("live_stats", read.FeatureViewName);
        Assert.Equal([1L, 2L], read.Columns["user_id"]);
        Assert.Equal([3L, 4L], read.Columns["orders_7d"]);
    }

    [Property(MaxTest = 200)]
    public Property The_servers_online_answer_reads_back_to_the_same_values_statuses_and_times() =>
        Prop.ForAll(
            ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).ToArbitrary(),
            ArbMap.Default.GeneratorFor<long>().ToArbitrary(),
            Gen.Choose(0, int.MaxValue).Select(s => (s * 1_000_000L) + 123).ToArbitrary(),
            (number, whole, micros) =>
            {
                // Columns in the server's order (view by view), not the request's: the client puts them back.
                var response = new OnlineFeaturesResponse(["user_id", "b__x", "a__y", "a__z"], 2);
                response.Set(0, 0, FeatureValue.Int64(1), ServerStatus.Present, 0);
                response.Set(0, 1, FeatureValue.Int64(2), ServerStatus.Present, 0);
                response.Set(1, 0, FeatureValue.Float64(number), ServerStatus.Present, micros);
                response.Set(1, 1, FeatureValue.Null(FeatureType.Float64), ServerStatus.NotFound, 0);
                response.Set(2, 0, FeatureValue.Int64(whole), ServerStatus.Present, micros);
                response.Set(2, 1, FeatureValue.Int64(0), ServerStatus.OutsideMaxAge, micros);
                response.Set(3, 0, FeatureValue.String("é\"💡"), ServerStatus.Present, micros);
                response.Set(3, 1, FeatureValue.Null(FeatureType.String), ServerStatus.NullValue, micros);
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    OnlineResponseJson.Write(writer, response);
                }

                var request = OnlineFeaturesRequest.ForFeatures("a:z", "b:x", "a:y").WithEntityColumn("user_id", [1L, 2L]);
                var answer = OnlineFeaturesResponseReader.Read(buffer.WrittenSpan, request);
                var time = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

                return answer.Features.SequenceEqual(["a:z", "b:x", "a:y"])
                    && answer.GetDouble(0, "b:x") == number
                    && answer.GetStatus(1, "b:x") == ClientStatus.NotFound
                    && answer.GetEventTimestamp(1, "b:x") is null
                    && answer.GetInt64(0, "a:y") == whole
                    && answer.GetStatus(1, "a:y") == ClientStatus.OutsideMaxAge
                    && answer.GetInt64(1, "a:y") is null
                    && answer.GetString(0, "a:z") == "é\"💡"
                    && answer.GetStatus(1, "a:z") == ClientStatus.NullValue
                    && answer.GetEventTimestamp(0, "a:z") == time;
            });

    [Fact]
    public void A_feature_services_columns_are_named_view_colon_feature_without_the_join_keys()
    {
        var response = new OnlineFeaturesResponse(["user_id", "live_stats__orders_7d", "user_stats__spend_7d"], 1);
        response.Set(0, 0, FeatureValue.Int64(1), ServerStatus.Present, 0);
        response.Set(1, 0, FeatureValue.Int64(4), ServerStatus.Present, 0);
        response.Set(2, 0, FeatureValue.Float64(2.5), ServerStatus.Present, 0);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OnlineResponseJson.Write(writer, response);
        }

        var answer = OnlineFeaturesResponseReader.Read(buffer.WrittenSpan, OnlineFeaturesRequest.ForFeatureService("live_model").AddEntity(("user_id", 1L)));

        Assert.Equal(["live_stats:orders_7d", "user_stats:spend_7d"], answer.Features);
        Assert.Equal(4L, answer.GetInt64(0, "live_stats:orders_7d"));
        Assert.Equal(2.5, answer.GetDouble(0, "user_stats:spend_7d"));
    }

    [Property(MaxTest = 100)]
    public Property The_servers_push_write_health_and_error_answers_read_back_to_the_same_values() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<long>().ToArbitrary(), ArbMap.Default.GeneratorFor<bool>().ToArbitrary(), (n, flag) =>
        {
            var push = ResultReaders.ReadPush(Json(w => PushResponseJson.Write(w, n, n / 2, flag, ["a", "b"])));
            var write = ResultReaders.ReadWrite(Json(w => WriteToOnlineStoreResponseJson.Write(w, n, n - 1)));
            var health = ResultReaders.ReadHealth(Json(w => HealthResponseJson.Write(w, "shop", n, "embedded")));
            var error = ResultReaders.ReadError(Json(w => ErrorResponseJson.Write(w, "not_found", "No view 'x' — did you mean 'y'?")));

            return push.Rows == n && push.OnlineWritten == n / 2 && push.Offline == flag && push.FeatureViews.SequenceEqual(["a", "b"])
                && write.Rows == n && write.OnlineWritten == n - 1
                && health.Status == "ok" && health.Project == "shop" && health.RegistryVersion == n && health.OnlineStore == "embedded"
                && error == ("not_found", "No view 'x' — did you mean 'y'?");
        });

    [Fact]
    public void A_malformed_answer_is_one_client_exception_not_a_json_exception()
    {
        var request = OnlineFeaturesRequest.ForFeatures("a:b").AddEntity(("user_id", 1L));

        var e = Assert.Throws<GranaryClientException>(() => OnlineFeaturesResponseReader.Read("{\"metadata\": {\"feature_names\": [\"a__b\"]}, \"results\": [{"u8, request));

        Assert.Equal(GranaryClientException.InvalidResponseCode, e.Code);
        Assert.Null(ResultReaders.ReadError("<html>bad gateway</html>"u8));
    }

    private static byte[] Body(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
