using Google.Protobuf;
using Granary.Client;
using Granary.Client.Grpc;
using Granary.Contracts.Errors;
using Granary.Contracts.Grpc.V1;
using ClientRequest = Granary.Client.OnlineFeaturesRequest;

namespace Granary.Tests.Client;

/// <summary>
/// granary.proto's values as the client reads and writes them, without a server: what the integration tests cannot
/// reach (bytes, kinds the server never sends for these views, a newer server's statuses and fields).
/// </summary>
public sealed class GrpcValueMappingTests
{
    [Fact]
    public void Bytes_read_as_base64_text_as_the_json_answer_carries_them()
    {
        Assert.Equal("AQL/", GrpcResponseValues.ToClr(new Value { BytesVal = ByteString.CopyFrom(1, 2, 255) }));
        Assert.Equal(new object?[] { "AQ==", "" }, (object?[])GrpcResponseValues.ToClr(new Value { BytesListVal = new BytesList { Val = { ByteString.CopyFrom(1), ByteString.Empty } } })!);
    }

    [Theory]
    [InlineData(1_500_000L, 1L)]
    [InlineData(-500_000L, -1L)]
    [InlineData(-1_000_000L, -1L)]
    [InlineData(0L, 0L)]
    public void Timestamps_read_as_whole_seconds_toward_the_past(long micros, long seconds) =>
        Assert.Equal(seconds, GrpcResponseValues.ToClr(new Value { UnixTimestampMicrosVal = micros }));

    [Fact]
    public void Narrow_kinds_widen_as_json_numbers_do_and_an_empty_value_is_null()
    {
        Assert.Equal(7L, GrpcResponseValues.ToClr(new Value { Int32Val = 7 }));
        Assert.Equal((double)0.1f, GrpcResponseValues.ToClr(new Value { FloatVal = 0.1f }));
        Assert.Null(GrpcResponseValues.ToClr(new Value()));
        Assert.Null(GrpcResponseValues.ToClr(new Value { NullVal = Null.Null }));
    }

    [Fact]
    public void A_status_a_newer_server_adds_reads_as_unknown_and_unknown_fields_are_ignored()
    {
        var response = new GetOnlineFeaturesResponse { FeatureNames = { "user_id", "v__f" } };
        response.Results.Add(Vector(new Value { Int64Val = 1 }, FieldStatus.Present, 0));
        response.Results.Add(Vector(new Value { DoubleVal = 2.5 }, (FieldStatus)9, 1_000_000));

        // Field 99 of the response and of a vector: what a newer server might add; proto3 parsers skip it.
        var bytes = response.ToByteArray().Concat(new byte[] { 0x9A, 0x06, 0x02, 0x08, 0x01 }).ToArray();
        var parsed = GetOnlineFeaturesResponse.Parser.ParseFrom(bytes);
        var features = GrpcResponseValues.ToOnlineFeatures(ClientRequest.ForFeatures("v:f").WithEntityColumn("user_id", [1L]), parsed);

        Assert.Equal(FeatureStatus.Unknown, features.GetStatus(0, "v:f"));
        Assert.Null(features.GetValue(0, "v:f"));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), features.GetEventTimestamp(0, "v:f"));
    }

    [Fact]
    public void Request_values_take_the_kind_that_holds_them_exactly()
    {
        var time = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10);
        Assert.Equal(new Value { Int64Val = long.MaxValue }, GrpcRequestValues.ToValue(long.MaxValue, "entities", "k", 0));
        Assert.Equal(new Value { StringVal = "a" }, GrpcRequestValues.ToValue("a", "entities", "k", 0));
        Assert.Equal(new Value { UnixTimestampMicrosVal = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 }, GrpcRequestValues.ToValue(time, "df", "t", 0));
        Assert.Equal(new Value { UnixTimestampMicrosVal = 1_000_000 }, GrpcRequestValues.ToValue(new DateTime(1970, 1, 1, 0, 0, 1, DateTimeKind.Unspecified), "df", "t", 0));
        Assert.Equal(new Value { NullVal = Null.Null }, GrpcRequestValues.ToValue(null, "df", "t", 0));
        Assert.Equal(new Value { Int64ListVal = new Int64List { Val = { 1, 2 } } }, GrpcRequestValues.ToValue(new List<long> { 1, 2 }, "df", "l", 0));
        Assert.Equal(new Value { FloatListVal = new FloatList { Val = { 0.5f } } }, GrpcRequestValues.ToValue(new[] { 0.5f }, "df", "l", 0));
    }

    [Fact]
    public void A_list_of_mixed_kinds_or_an_unknown_type_is_refused_with_where_it_is()
    {
        var mixed = Assert.Throws<GranaryClientException>(() => GrpcRequestValues.ToValue(new object?[] { 1L, "x" }, "df", "tags", 3));
        Assert.Equal(ErrorCodes.InvalidArgument, mixed.Code);
        Assert.Contains("df.tags[3]", mixed.Message, StringComparison.Ordinal);
        Assert.False(mixed.MayHaveReachedServer);

        var unknown = Assert.Throws<GranaryClientException>(() => GrpcRequestValues.ToValue(1.5m, "entities", "user_id", 0));
        Assert.Contains("Decimal", unknown.Message, StringComparison.Ordinal);
    }

    private static FeatureVector Vector(Value value, FieldStatus status, long micros) =>
        new() { Values = { value }, Statuses = { status }, EventTimestamps = { micros } };
}
