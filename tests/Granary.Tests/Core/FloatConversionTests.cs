using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Core;

/// <summary>
/// A number stored in a float feature is the float nearest to the number as written, rounded once: the reference is
/// the runtime's own correctly rounded parse of the same digits.
/// </summary>
public sealed class FloatConversionTests
{
    private static readonly FeatureType Float64 = FeatureType.Parse("float64");
    private static readonly FeatureType Float32 = FeatureType.Parse("float32");

    [Fact]
    public void A_whole_number_past_two_to_the_53_written_with_a_fraction_is_the_nearest_double()
    {
        // 9007199254740993 lies halfway between two doubles; ties go to the even one, 9007199254740992.
        var value = ClrValues.ToFeatureValue(9007199254740993.0m, Float64);

        Assert.Equal(9007199254740992d, value.AsFloat64());
    }

    [Property(MaxTest = 500)]
    public void A_decimal_becomes_the_double_its_digits_parse_to(long units, byte scale)
    {
        var magnitude = (ulong)Math.Abs(units % 1_000_000_000_000_000_000);
        var number = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, units < 0, (byte)(scale % 20));
        var text = number.ToString(CultureInfo.InvariantCulture);

        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), ClrValues.ToFeatureValue(number, Float64).AsFloat64());
        Assert.Equal(float.Parse(text, CultureInfo.InvariantCulture), ClrValues.ToFeatureValue(number, Float32).AsFloat32());
    }

    [Property(MaxTest = 500)]
    public void An_integer_becomes_the_float_nearest_to_it(long number)
    {
        var text = number.ToString(CultureInfo.InvariantCulture);

        Assert.Equal(float.Parse(text, CultureInfo.InvariantCulture), ClrValues.ToFeatureValue(number, Float32).AsFloat32());
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), ClrValues.ToFeatureValue(number, Float64).AsFloat64());
    }
}
