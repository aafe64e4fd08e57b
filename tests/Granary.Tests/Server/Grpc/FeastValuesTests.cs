using Feast.Types;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Granary.Core.Model;
using Granary.Server.Grpc;
using Granary.Core.Values;

namespace Granary.Tests.Server.Grpc;

public sealed class FeastValuesTests
{
    private static readonly DateTimeOffset Instant = new(2026, 11, 1, 12, 30, 15, TimeSpan.Zero);

    // Object-typed, as Feast's generated types are internal to the server.
    public static TheoryData<FeatureType, object> EveryKind => new()
    {
        { FeatureType.Int32, new Value { Int32Val = -7 } },
        { FeatureType.Int64, new Value { Int64Val = long.MaxValue } },
        { FeatureType.Float32, new Value { FloatVal = 1.25f } },
        { FeatureType.Float64, new Value { DoubleVal = -0.5 } },
        { FeatureType.String, new Value { StringVal = "ü:1" } },
        { FeatureType.Bool, new Value { BoolVal = true } },
        { FeatureType.Bytes, new Value { BytesVal = ByteString.CopyFrom(0, 255) } },
        { FeatureType.UnixTimestamp, new Value { UnixTimestampVal = Instant.ToUnixTimeSeconds() } },
        { FeatureType.UnixTimestamp, new Value { UnixTimestampVal = -62_135_596_800 } },
        { FeatureType.Int64.AsList(), new Value { Int64ListVal = new Int64List { Val = { 3, long.MinValue } } } },
        { FeatureType.Float64.AsList(), new Value { DoubleListVal = new DoubleList { Val = { 0.25, 8 } } } },
        { FeatureType.String.AsList(), new Value { StringListVal = new StringList { Val = { "a", "" } } } },
        { FeatureType.Bytes.AsList(), new Value { BytesListVal = new BytesList { Val = { ByteString.CopyFrom(1), ByteString.Empty } } } },
        { FeatureType.UnixTimestamp.AsList(), new Value { UnixTimestampListVal = new Int64List { Val = { 0, 1_793_491_200 } } } },
        { FeatureType.Float64, new Value { NullVal = Null.Null } },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void A_feast_value_of_the_declared_type_survives_the_trip_through_the_feature_store_types(FeatureType type, object wire)
    {
        var value = (Value)wire;
        var clr = FeastValues.ToClr(value, "entities", "c", 0);
        var typed = ClrValues.ToFeatureValue(clr, type);

        Assert.Equal(value, FeastValues.ToFeast(typed));
    }

    [Fact]
    public void A_timestamp_value_is_whole_seconds_as_feast_sends_it_with_the_fraction_dropped_toward_the_past()
    {
        Assert.Equal(Instant.ToUnixTimeSeconds(), FeastValues.ToFeast(FeatureValue.Timestamp((Instant.ToUnixTimeSeconds() * 1_000_000) + 999_999)).UnixTimestampVal);
        Assert.Equal(-2, FeastValues.ToFeast(FeatureValue.Timestamp(-1_000_001)).UnixTimestampVal);
    }

    [Fact]
    public void A_timestamp_in_milliseconds_is_refused_with_its_place_and_the_unit_feast_uses()
    {
        var error = Assert.Throws<Granary.Core.Errors.GranaryException>(() => FeastValues.ToClr(new Value { UnixTimestampVal = 1_793_491_200_000_000 }, "entities", "ts", 2));

        Assert.Equal(Granary.Contracts.Errors.ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("entities.ts[2]:", error.Message, StringComparison.Ordinal);
        Assert.Contains("seconds", error.Message, StringComparison.Ordinal);
    }

    // Thousands of seconds, then the microseconds within them: every instant from year 1 to 9999, negative ones included.
    private static readonly Gen<long> Micros =
        from kiloseconds in Gen.Choose(-62_135_596, 253_402_300)
        from rest in Gen.Choose(0, 999_999_999)
        select Math.Min((kiloseconds * 1_000_000_000L) + rest, 253_402_300_799_999_999);

    // Against the naive reference: DateTimeOffset's own arithmetic on ticks, over every instant it can hold.
    [Property(MaxTest = 500)]
    public Property An_event_time_becomes_the_timestamp_of_the_same_instant() =>
        Prop.ForAll(Micros.ToArbitrary(), micros =>
        {
            var timestamp = FeastValues.ToTimestamp(micros);
            var expected = DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
            return timestamp.ToDateTimeOffset() == expected && timestamp.Nanos is >= 0 and < 1_000_000_000;
        });
}
