using Google.Protobuf;
using Granary.Core.Model;
using Granary.Server.Grpc;
using Granary.Contracts.Grpc.V1;
using Granary.Core.Values;

namespace Granary.Tests.Server.Grpc;

public sealed class ProtoValuesTests
{
    public static TheoryData<FeatureType, Value> EveryKind => new()
    {
        { FeatureType.Int32, new Value { Int32Val = -7 } },
        { FeatureType.Int64, new Value { Int64Val = long.MinValue } },
        { FeatureType.Float32, new Value { FloatVal = 1.25f } },
        { FeatureType.Float64, new Value { DoubleVal = double.Epsilon } },
        { FeatureType.String, new Value { StringVal = "ü:1" } },
        { FeatureType.Bool, new Value { BoolVal = true } },
        { FeatureType.Bytes, new Value { BytesVal = ByteString.CopyFrom(0, 255) } },
        { FeatureType.UnixTimestamp, new Value { UnixTimestampMicrosVal = 1_793_491_200_123_456 } },
        { FeatureType.UnixTimestamp, new Value { UnixTimestampMicrosVal = -62_135_596_800_000_000 } },
        { FeatureType.Int32.AsList(), new Value { Int32ListVal = new Int32List { Val = { 1, -2 } } } },
        { FeatureType.Int64.AsList(), new Value { Int64ListVal = new Int64List { Val = { 3, 4 } } } },
        { FeatureType.Float32.AsList(), new Value { FloatListVal = new FloatList { Val = { 0.5f } } } },
        { FeatureType.Float64.AsList(), new Value { DoubleListVal = new DoubleList { Val = { 0.25, 8 } } } },
        { FeatureType.String.AsList(), new Value { StringListVal = new StringList { Val = { "a", "" } } } },
        { FeatureType.Bool.AsList(), new Value { BoolListVal = new BoolList { Val = { true, false } } } },
        { FeatureType.Bytes.AsList(), new Value { BytesListVal = new BytesList { Val = { ByteString.CopyFrom(1), ByteString.Empty } } } },
        { FeatureType.UnixTimestamp.AsList(), new Value { UnixTimestampMicrosListVal = new Int64List { Val = { 0, 1_000_000 } } } },
        { FeatureType.Int64.AsList(), new Value { Int64ListVal = new Int64List() } },
        { FeatureType.Float64, new Value { NullVal = Null.Null } },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void A_value_of_the_declared_type_survives_the_trip_through_the_feature_store_types(FeatureType type, Value value)
    {
        var clr = ProtoValues.ToClr(value, "columns", "c", 0);
        var typed = ClrValues.ToFeatureValue(clr, type);

        Assert.Equal(value, ProtoValues.ToProto(typed));
    }

    [Fact]
    public void An_unset_value_is_null_on_the_way_in_and_null_is_explicit_on_the_way_out()
    {
        Assert.Null(ProtoValues.ToClr(new Value(), "columns", "c", 0));
        Assert.Equal(Value.ValOneofCase.NullVal, ProtoValues.ToProto(FeatureValue.Null(FeatureType.String)).ValCase);
    }

    [Fact]
    public void A_timestamp_outside_the_calendar_is_refused_with_its_place()
    {
        var error = Assert.Throws<Granary.Core.Errors.GranaryException>(() => ProtoValues.ToClr(new Value { UnixTimestampMicrosVal = long.MinValue }, "columns", "ts", 3));

        Assert.Equal(Granary.Contracts.Errors.ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("columns.ts[3]:", error.Message, StringComparison.Ordinal);
    }
}
