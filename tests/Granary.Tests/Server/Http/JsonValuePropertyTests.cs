using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Server.Http;
using Granary.Core.Values;

namespace Granary.Tests.Server.Http;

/// <summary>
/// The JSON readers and the answer writer over the whole int64 range and every finite double, each checked against
/// a reference that works on the decimal text (never on a double).
/// </summary>
public sealed class JsonValuePropertyTests
{
    // Every int64, not only the small ones FsCheck favours: two random halves, plus the ends and 2^53's neighbours.
    private static readonly Gen<long> Int64s = Gen.OneOf(
        Gen.Elements(0L, 1L, -1L, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, 9_007_199_254_740_992L, 9_007_199_254_740_993L, -9_007_199_254_740_993L),
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo));

    private static readonly Gen<double> FiniteDoubles = Gen.OneOf(
        Gen.Elements(0d, -0d, 1d, 3d, -2.5, 0.1, 1e16, 1e-7, 123456789012345678d, double.MaxValue, double.MinValue, double.Epsilon, 9_007_199_254_740_993d),
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => BitConverter.Int64BitsToDouble(((long)hi << 32) | (uint)lo))
            .Where(double.IsFinite));

    [Property(MaxTest = 1000)]
    public Property Every_int64_in_a_push_body_reads_as_exactly_that_long() =>
        Prop.ForAll(Int64s.ToArbitrary(), n =>
        {
            var text = n.ToString(CultureInfo.InvariantCulture);
            var body = $$$"""{"push_source_name": "p", "df": {"c": [{{{text}}}]}}""";

            var value = PushEndpoints.ParsePush(Encoding.UTF8.GetBytes(body)).Columns["c"][0];

            Assert.Equal(BigInteger.Parse(text, CultureInfo.InvariantCulture), (BigInteger)Assert.IsType<long>(value));
            Assert.Equal(n, ClrValues.ToFeatureValue(value, FeatureType.Int64).AsInt64());
        });

    [Property(MaxTest = 1000)]
    public Property Neighbouring_int64_entity_keys_in_an_online_request_are_different_keys() =>
        Prop.ForAll(Int64s.Where(n => n != long.MaxValue).ToArbitrary(), n =>
        {
            var body = $$$"""{"features": ["v:f"], "entities": {"k": [{{{n}}}, {{{n + 1}}}]}}""";

            var values = OnlineFeaturesEndpoint.Parse(Encoding.UTF8.GetBytes(body)).Entities["k"];
            var first = EntityKey.Part(values[0], FeatureType.Int64);
            var second = EntityKey.Part(values[1], FeatureType.Int64);

            Assert.Equal((n, n + 1), (first.AsInt64(), second.AsInt64()));
            Assert.NotEqual(EntityKey.Create(first), EntityKey.Create(second));
        });

    [Property(MaxTest = 500)]
    public Property A_whole_number_written_with_a_fraction_or_an_exponent_keeps_its_exact_value() =>
        Prop.ForAll(Int64s.ToArbitrary(), Gen.Elements(".0", ".000", "e0", "E+0", ".0e-0").ToArbitrary(), (n, suffix) =>
        {
            var body = $$$"""{"push_source_name": "p", "df": {"c": [{{{n}}}{{{suffix}}}]}}""";

            var value = PushEndpoints.ParsePush(Encoding.UTF8.GetBytes(body)).Columns["c"][0];

            Assert.Equal(n, ClrValues.ToFeatureValue(value, FeatureType.Int64).AsInt64());
        });

    [Property(MaxTest = 500)]
    public Property A_number_with_a_fraction_is_never_stored_as_an_integer() =>
        Prop.ForAll(Int64s.Where(n => n is > long.MinValue and < long.MaxValue).ToArbitrary(), Gen.Elements(".5", ".25", ".000001").ToArbitrary(), (n, fraction) =>
        {
            var body = $$$"""{"push_source_name": "p", "df": {"c": [{{{n}}}{{{fraction}}}]}}""";

            var value = PushEndpoints.ParsePush(Encoding.UTF8.GetBytes(body)).Columns["c"][0];

            Assert.Throws<FormatException>(() => ClrValues.ToFeatureValue(value, FeatureType.Int64));
        });

    [Property(MaxTest = 1000)]
    public Property Every_finite_double_is_answered_as_a_json_float_with_the_same_bits() =>
        Prop.ForAll(FiniteDoubles.ToArbitrary(), d =>
        {
            var text = Written(FeatureValue.Float64(d));

            Assert.True(text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(JsonDocument.Parse(text).RootElement.GetDouble()));
        });

    [Property(MaxTest = 500)]
    public Property Unix_timestamps_are_answered_as_epoch_seconds_rounded_toward_the_past() =>
        Prop.ForAll(Int64s.Select(n => n % Granary.Core.Time.UtcMicros.MaxValue).ToArbitrary(), micros =>
        {
            // Reference: floor division on exact integers.
            var seconds = BigInteger.Divide(micros - (((micros % 1_000_000) + 1_000_000) % 1_000_000), 1_000_000);

            Assert.Equal(seconds.ToString(CultureInfo.InvariantCulture), Written(FeatureValue.Timestamp(micros)));
            Assert.Equal($"[{seconds}]", Written(FeatureValue.List(ScalarKind.UnixTimestamp, new[] { micros })));
        });

    [Theory]
    [InlineData(3.0, "3.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e16, "10000000000000000.0")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.NaN, "null")]
    public void Doubles_are_written_as_floats(double value, string expected) => Assert.Equal(expected, Written(FeatureValue.Float64(value)));

    [Fact]
    public void Float32_values_and_lists_are_written_as_floats() =>
        Assert.Equal(("2.0", "[1.0,0.5]"), (Written(FeatureValue.Float32(2f)), Written(FeatureValue.List(ScalarKind.Float32, new[] { 1f, 0.5f }))));

    private static string Written(FeatureValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OnlineResponseJson.WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
