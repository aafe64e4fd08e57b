using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Tests.Core;

/// <summary>
/// Online records decode to exactly what was encoded, are never decoded under another schema, and order by
/// (event time, created time) for last-write-wins.
/// </summary>
public sealed class OnlineRecordTests
{
    private static readonly ScalarKind[] Kinds = Enum.GetValues<ScalarKind>();

    private static readonly string[] StringPieces = ["", "a", "é", "日本語", "😀", "\0", ":", "\"", "\u200d", "ß"];

    private static readonly Gen<string> Strings =
        Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(StringPieces), n)).Select(string.Concat);

    private static readonly Gen<byte[]> ByteArrays =
        Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static readonly Gen<int> Int32s = Gen.OneOf(
        Gen.Elements(0, 1, -1, int.MinValue, int.MaxValue),
        Gen.Choose(int.MinValue, int.MaxValue));

    private static readonly Gen<long> Int64s = Gen.OneOf(
        Gen.Elements(0L, 1L, -1L, long.MinValue, long.MaxValue),
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo));

    private static readonly Gen<float> Float32s = Gen.OneOf(
        Gen.Elements(
            float.NaN, -0f, 0f, 1.5f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, float.MinValue,
            BitConverter.Int32BitsToSingle(0x7FC00123), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000))),
        Int32s.Select(BitConverter.Int32BitsToSingle));

    private static readonly Gen<double> Float64s = Gen.OneOf(
        Gen.Elements(
            double.NaN, -0d, 0d, 0.1, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, double.MinValue,
            BitConverter.Int64BitsToDouble(0x7FF8000000000123), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000))),
        Int64s.Select(BitConverter.Int64BitsToDouble));

    private static readonly Gen<FeatureType> Types =
        Gen.Zip(Gen.Elements(Kinds), Gen.Elements(false, true), (kind, list) => new FeatureType(kind, list));

    /// <summary>A schema of 0 to 20 features (so the null bitmap spans up to three bytes) and one row of values for it.</summary>
    private static readonly Gen<(RecordSchema Schema, FeatureValue[] Values)> Rows =
        Gen.Choose(0, 20)
            .SelectMany(n => Gen.ArrayOf(Types, n))
            .SelectMany(types => Gen.CollectToArray(types, ValueOf).Select(values => (Schema(types), values)));

    private static readonly Gen<long> Times = Gen.Elements(long.MinValue, -1L, 0L, 1L, 2L, 1_700_000_000_000_000L, long.MaxValue);

    private static readonly RecordSchema Simple = new([new Field("a", FeatureType.Int64), new Field("b", FeatureType.String)]);

    private static readonly RecordSchema Widened = new([new Field("a", FeatureType.Int64), new Field("b", FeatureType.String), new Field("c", FeatureType.Bool)]);

    [Property(MaxTest = 500)]
    public Property Decoded_record_has_the_encoded_values_and_times() =>
        Prop.ForAll(Rows.ToArbitrary(), Times.ToArbitrary(), Times.ToArbitrary(), (row, eventMicros, createdMicros) =>
        {
            var record = OnlineRecord.Encode(row.Schema, eventMicros, createdMicros, row.Values);

            var decoded = new FeatureValue[row.Schema.Count];
            Assert.True(OnlineRecord.TryDecode(record, row.Schema, decoded));
            Assert.Equal(row.Values, decoded);
            for (var i = 0; i < decoded.Length; i++)
            {
                Assert.Equal(row.Schema.Features[i].Type, decoded[i].Type);
            }

            Assert.Equal(eventMicros, OnlineRecord.EventMicros(record));
            Assert.Equal(createdMicros, OnlineRecord.CreatedMicros(record));
            Assert.Equal(row.Schema.Fingerprint, OnlineRecord.Fingerprint(record));
        });

    [Property(MaxTest = 200)]
    public Property Encoding_is_deterministic_and_reencoding_a_decoded_record_gives_the_same_bytes() =>
        Prop.ForAll(Rows.ToArbitrary(), row =>
        {
            var record = OnlineRecord.Encode(row.Schema, 5, UtcMicros.None, row.Values);
            var decoded = new FeatureValue[row.Schema.Count];
            Assert.True(OnlineRecord.TryDecode(record, row.Schema, decoded));
            Assert.Equal(record, OnlineRecord.Encode(row.Schema, 5, UtcMicros.None, decoded));
        });

    [Property(MaxTest = 200)]
    public Property Record_is_not_decoded_under_a_schema_with_a_renamed_retyped_added_or_removed_feature() =>
        Prop.ForAll(Rows.Where(r => r.Schema.Count > 0).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (row, pick) =>
        {
            var record = OnlineRecord.Encode(row.Schema, 1, 2, row.Values);
            var features = row.Schema.Features;
            var i = pick % features.Count;
            var changed = features[i].Type with { Kind = features[i].Type.Kind == ScalarKind.Int32 ? ScalarKind.Int64 : ScalarKind.Int32 };
            RecordSchema[] others =
            [
                new([.. features.Select((f, j) => j == i ? new Field(f.Name + "_renamed", f.Type) : f)]),
                new([.. features.Select((f, j) => j == i ? new Field(f.Name, changed) : f)]),
                new([.. features.Select((f, j) => j == i ? new Field(f.Name, f.Type with { IsList = !f.Type.IsList }) : f)]),
                new([.. features, new Field("extra", FeatureType.Int64)]),
                new([.. features.Where((_, j) => j != i)]),
            ];

            foreach (var other in others)
            {
                Assert.NotEqual(row.Schema.Fingerprint, other.Fingerprint);
                var sentinel = Enumerable.Repeat(FeatureValue.String("untouched"), other.Count + 1).ToArray();
                Assert.False(OnlineRecord.TryDecode(record, other, sentinel));
                Assert.All(sentinel, v => Assert.Equal(FeatureValue.String("untouched"), v));
            }
        });

    [Fact]
    public void Record_is_not_decoded_under_a_schema_with_swapped_features()
    {
        var record = OnlineRecord.Encode(Simple, 1, 2, [FeatureValue.Int64(7), FeatureValue.String("x")]);
        var swapped = new RecordSchema([new Field("b", FeatureType.String), new Field("a", FeatureType.Int64)]);

        Assert.False(OnlineRecord.TryDecode(record, swapped, new FeatureValue[2]));
    }

    [Fact]
    public void Record_with_another_version_or_truncated_header_is_not_decoded()
    {
        var record = OnlineRecord.Encode(Simple, 1, 2, [FeatureValue.Int64(7), FeatureValue.String("x")]);
        var values = new FeatureValue[2];

        var otherVersion = record.ToArray();
        otherVersion[0] = OnlineRecord.Version + 1;
        Assert.False(OnlineRecord.TryDecode(otherVersion, Simple, values));
        Assert.False(OnlineRecord.TryDecode(record.AsSpan(0, OnlineRecord.HeaderSize - 1), Simple, values));
        Assert.False(OnlineRecord.TryDecode([], Simple, values));
        Assert.True(OnlineRecord.TryDecode(record, Simple, values));
    }

    [Fact]
    public void Header_follows_the_documented_layout()
    {
        var record = OnlineRecord.Encode(Simple, 0x0102030405060708, UtcMicros.None, [FeatureValue.Null(FeatureType.Int64), FeatureValue.String("")]);

        Assert.Equal(OnlineRecord.Version, record[0]);
        Assert.Equal(Simple.Fingerprint, BitConverter.ToUInt64(record, 1));
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, record[OnlineRecord.EventOffset..(OnlineRecord.EventOffset + 8)]);
        Assert.Equal(long.MinValue, BitConverter.ToInt64(record, OnlineRecord.CreatedOffset));
        Assert.Equal(new byte[] { 2, 0, 0b01, 0 }, record[25..]);
    }

    [Fact]
    public void Value_of_the_wrong_type_or_count_is_rejected()
    {
        Assert.Throws<GranaryException>(() => OnlineRecord.Encode(Simple, 1, 2, [FeatureValue.Int32(1), FeatureValue.String("x")]));
        Assert.Throws<GranaryException>(() => OnlineRecord.Encode(Simple, 1, 2, [FeatureValue.Int64(1)]));
        Assert.Throws<GranaryException>(() => OnlineRecord.Encode(Simple, 1, 2, [FeatureValue.Int64(1), FeatureValue.String("x"), FeatureValue.Int64(1)]));
    }

    [Property(MaxTest = 1000)]
    public Property Supersedes_is_the_strict_order_of_event_then_created_time() =>
        Prop.ForAll(Gen.Three(Gen.Two(Times)).ToArbitrary(), times =>
        {
            var (a, b, c) = (Record(times.Item1), Record(times.Item2), Record(times.Item3));

            // It is lexicographic (event, created) comparison...
            Assert.Equal(times.Item1.CompareTo(times.Item2) > 0, OnlineRecord.Supersedes(a, b));
            // ...irreflexive, asymmetric, total on different times, and transitive.
            Assert.False(OnlineRecord.Supersedes(a, a));
            Assert.False(OnlineRecord.Supersedes(a, b) && OnlineRecord.Supersedes(b, a));
            Assert.Equal(times.Item1 != times.Item2, OnlineRecord.Supersedes(a, b) || OnlineRecord.Supersedes(b, a));
            if (OnlineRecord.Supersedes(a, b) && OnlineRecord.Supersedes(b, c))
            {
                Assert.True(OnlineRecord.Supersedes(a, c));
            }
        });

    [Fact]
    public void Later_event_supersedes_regardless_of_created_time()
    {
        Assert.True(OnlineRecord.Supersedes(Record((2, UtcMicros.None)), Record((1, long.MaxValue))));
        Assert.False(OnlineRecord.Supersedes(Record((1, long.MaxValue)), Record((2, UtcMicros.None))));
        Assert.True(OnlineRecord.Supersedes(Record((1, 0)), Record((1, UtcMicros.None))));
        Assert.True(OnlineRecord.Supersedes(Record((0, 0)), Record((-1, 0))));
    }

    [Property(MaxTest = 500)]
    public Property Replaces_is_supersedes_within_one_schema_and_always_true_across_schemas() =>
        Prop.ForAll(Gen.Two(Gen.Two(Times)).ToArbitrary(), times =>
        {
            var (a, b) = (Record(times.Item1), Record(times.Item2));
            var widened = OnlineRecord.Encode(Widened, times.Item2.Item1, times.Item2.Item2, [FeatureValue.Int64(1), FeatureValue.String("x"), FeatureValue.Null(FeatureType.Bool)]);
            var otherVersion = (byte[])b.Clone();
            otherVersion[0] = OnlineRecord.Version + 1;

            Assert.Equal(OnlineRecord.Supersedes(a, b), OnlineRecord.Replaces(a, b));
            Assert.True(OnlineRecord.SameSchema(a, b));
            Assert.True(OnlineRecord.Replaces(a, widened));
            Assert.True(OnlineRecord.Replaces(widened, a));
            Assert.True(OnlineRecord.Replaces(a, otherVersion));
        });

    private static byte[] Record((long Event, long Created) times) =>
        OnlineRecord.Encode(Simple, times.Event, times.Created, [FeatureValue.Int64(1), FeatureValue.String("x")]);

    private static RecordSchema Schema(FeatureType[] types) => new([.. types.Select((t, i) => new Field($"f{i}", t))]);

    private static Gen<FeatureValue> ValueOf(FeatureType type) =>
        Gen.Frequency((1, Gen.Constant(FeatureValue.Null(type))), (4, type.IsList ? ListOf(type.Kind) : ScalarOf(type.Kind)));

    private static Gen<FeatureValue> ScalarOf(ScalarKind kind) => kind switch
    {
        ScalarKind.Int32 => Int32s.Select(FeatureValue.Int32),
        ScalarKind.Int64 => Int64s.Select(FeatureValue.Int64),
        ScalarKind.Float32 => Float32s.Select(FeatureValue.Float32),
        ScalarKind.Float64 => Float64s.Select(FeatureValue.Float64),
        ScalarKind.String => Strings.Select(FeatureValue.String),
        ScalarKind.Bool => Gen.Elements(true, false).Select(FeatureValue.Bool),
        ScalarKind.Bytes => ByteArrays.Select(FeatureValue.Bytes),
        ScalarKind.UnixTimestamp => Int64s.Select(FeatureValue.Timestamp),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Gen<FeatureValue> ListOf(ScalarKind kind)
    {
        Gen<Array> items = kind switch
        {
            ScalarKind.Int32 => Sized(Int32s),
            ScalarKind.Int64 or ScalarKind.UnixTimestamp => Sized(Int64s),
            ScalarKind.Float32 => Sized(Float32s),
            ScalarKind.Float64 => Sized(Float64s),
            ScalarKind.String => Sized(Strings),
            ScalarKind.Bool => Sized(Gen.Elements(true, false)),
            ScalarKind.Bytes => Sized(ByteArrays),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return items.Select(array => FeatureValue.List(kind, array));
    }

    private static Gen<Array> Sized<T>(Gen<T> item) => Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(item, n)).Select(a => (Array)a);
}
