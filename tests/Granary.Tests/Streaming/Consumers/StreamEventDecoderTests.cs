using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Values;
using Granary.Streaming.Sources;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// Values written as a producer writes them (Redis fields, a Redis <c>json</c> field, a NATS JSON body) decode back
/// to the same typed values, keys and event times; malformed messages name the field at fault.
/// </summary>
public sealed class StreamEventDecoderTests
{
    private static readonly StreamEventShape Shape = ConsumerTestViews.Shape();
    private static readonly StreamEventShape ShapeWithIds = ConsumerTestViews.Shape(eventIdField: "txn_id");

    [Property(MaxTest = 300)]
    public Property Redis_fields_decode_to_the_values_written() =>
        Prop.ForAll(EventMessageGen.Messages(), message =>
            AssertDecodes(message, new SourceMessage("1733126400000-7", message.ToFields(), ReadOnlyMemory<byte>.Empty, false), "1733126400000-7"));

    [Property(MaxTest = 300)]
    public Property A_redis_json_field_decodes_to_the_values_written() =>
        Prop.ForAll(EventMessageGen.Messages(), message =>
            AssertDecodes(message, new SourceMessage("5-0", [new("json", Encoding.UTF8.GetString(message.ToJson()))], ReadOnlyMemory<byte>.Empty, false), "5-0"));

    [Property(MaxTest = 300)]
    public Property A_nats_json_body_decodes_to_the_values_written() =>
        Prop.ForAll(EventMessageGen.Messages(), message =>
            AssertDecodes(message, new SourceMessage("42", [], message.ToJson(), true), "42"));

    [Property(MaxTest = 100)]
    public Property The_event_id_is_the_named_field_when_the_view_has_one() =>
        Prop.ForAll(EventMessageGen.Messages(), message =>
        {
            var decoder = new StreamEventDecoder(ShapeWithIds);
            Assert.True(decoder.TryDecode(new SourceMessage("9-0", message.ToFields(), ReadOnlyMemory<byte>.Empty, false), out var fromFields, out var why), why.ToString());
            Assert.True(decoder.TryDecode(new SourceMessage("9", [], message.ToJson(), false), out var fromJson, out why), why.ToString());
            Assert.Equal(message.EventId, fromFields.EventId);
            Assert.Equal(message.EventId, fromJson.EventId);
        });

    [Theory]
    [InlineData("amount", "twelve", "amount", "'twelve' is not a finite number")]
    [InlineData("quantity", "3000000000", "quantity", "not an integer that fits int32")]
    [InlineData("flag", "yes", "flag", "is not true, false, 1 or 0")]
    [InlineData("ts", "1733126400000", "ts", "outside the years 1 to 9999 (milliseconds?)")]
    [InlineData("ts", "yesterday", "ts", "not an ISO-8601 time")]
    [InlineData("user_id", "u-1", "user_id", "not an integer that fits int64")]
    public void A_malformed_field_is_named_with_what_is_wrong(string field, string value, string expectedField, string expectedReason)
    {
        var fields = new Dictionary<string, string> { ["user_id"] = "1", ["merchant_id"] = "m", ["ts"] = "2026-12-02T08:00:00Z", ["amount"] = "1.5" };
        fields[field] = value;

        var ok = new StreamEventDecoder(Shape).TryDecode(new SourceMessage("1-0", [.. fields], ReadOnlyMemory<byte>.Empty, false), out _, out var malformed);

        Assert.False(ok);
        Assert.Equal(expectedField, malformed.Field);
        Assert.Contains(expectedReason, malformed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"merchant_id":"m","ts":1}""", "user_id", "is missing")]
    [InlineData("""{"user_id":null,"merchant_id":"m","ts":1}""", "user_id", "is null")]
    [InlineData("""{"user_id":1,"merchant_id":"m"}""", "ts", "is missing")]
    [InlineData("""{"user_id":1,"merchant_id":"m","ts":1,"amount":"1.5"}""", "amount", "is not a finite number")]
    [InlineData("""{"user_id":1.5,"merchant_id":"m","ts":1}""", "user_id", "is not a whole number")]
    [InlineData("""{"user_id":1,"merchant_id":"m","ts":1,"amount":[1]}""", "amount", "expected a single value")]
    [InlineData("""{"user_id":1,"user_id":2,"merchant_id":"m","ts":1}""", "user_id", "appears twice")]
    [InlineData("""{"user_id":1,"merchant_id":"m","ts":1""", "(body)", "is not valid JSON")]
    [InlineData("""{"user_id":1,"merchant_id":"m","ts":1} {}""", "(body)", "is not valid JSON")]
    [InlineData("""[1,2]""", "(body)", "is not a JSON object")]
    [InlineData("", "(body)", "is empty")]
    public void A_malformed_json_body_is_named_with_what_is_wrong(string json, string expectedField, string expectedReason)
    {
        var ok = new StreamEventDecoder(Shape).TryDecode(new SourceMessage("3", [], Encoding.UTF8.GetBytes(json), false), out _, out var malformed);

        Assert.False(ok);
        Assert.Equal(expectedField, malformed.Field);
        Assert.Contains(expectedReason, malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_value_in_a_redis_json_field_is_named_inside_it()
    {
        var ok = new StreamEventDecoder(Shape).TryDecode(
            new SourceMessage("1-0", [new("json", """{"user_id":1,"merchant_id":"m","ts":"2026-12-02","amount":true}""")], ReadOnlyMemory<byte>.Empty, false),
            out _,
            out var malformed);

        Assert.False(ok);
        Assert.Equal("json.amount", malformed.Field);
    }

    [Fact]
    public void A_view_with_an_event_id_field_refuses_an_event_without_one()
    {
        var ok = new StreamEventDecoder(ShapeWithIds).TryDecode(
            new SourceMessage("1-0", [new("user_id", "1"), new("merchant_id", "m"), new("ts", "0")], ReadOnlyMemory<byte>.Empty, false), out _, out var malformed);

        Assert.False(ok);
        Assert.Equal("txn_id", malformed.Field);
    }

    private static void AssertDecodes(EventMessage message, SourceMessage source, string sourceId)
    {
        var (entity, micros, columns) = message.Expected(Shape);

        var ok = new StreamEventDecoder(Shape).TryDecode(source, out var decoded, out var malformed);

        Assert.True(ok, malformed.ToString());
        Assert.Equal(entity, decoded.Entity);
        Assert.Equal(micros, decoded.EventMicros);
        Assert.Equal(columns, decoded.Columns);
        Assert.Equal(sourceId, decoded.EventId);
    }
}
