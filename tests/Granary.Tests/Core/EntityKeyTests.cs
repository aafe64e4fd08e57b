using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Core;

/// <summary>
/// Entity keys are the identity of an entity in every online store: their bytes and text must round-trip, and
/// different part lists must never share bytes.
/// </summary>
public sealed class EntityKeyTests
{
    /// <summary>Pieces of strings: separators, JSON metacharacters, multi-byte and surrogate-pair characters.</summary>
    private static readonly string[] StringPieces = ["", "a", "b", "1", ":", "a:b", "\"", "\\", "[", "]", ",", " ", "\0", "é", "日本", "😀", "\u200d", "\n"];

    private static readonly Gen<string> Strings =
        Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(StringPieces), n)).Select(string.Concat);

    private static readonly Gen<byte[]> ByteArrays =
        Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static readonly Gen<int> Int32s = Gen.OneOf(
        Gen.Elements(0, 1, -1, int.MinValue, int.MaxValue, 255, 256),
        Gen.Choose(int.MinValue, int.MaxValue));

    private static readonly Gen<long> Int64s = Gen.OneOf(
        Gen.Elements(0L, 1L, -1L, long.MinValue, long.MaxValue, int.MaxValue + 1L, int.MinValue - 1L),
        Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i * 7919));

    /// <summary>One key part of any key kind (int32, int64, string, bool, bytes).</summary>
    private static readonly Gen<FeatureValue> Parts = Gen.OneOf(
        Int32s.Select(FeatureValue.Int32),
        Int64s.Select(FeatureValue.Int64),
        Strings.Select(FeatureValue.String),
        Gen.Elements(true, false).Select(FeatureValue.Bool),
        ByteArrays.Select(FeatureValue.Bytes));

    private static readonly Gen<FeatureValue[]> Keys = Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Parts, n));

    /// <summary>Parts from a tiny domain, so that random pairs are often equal and often differ only slightly.</summary>
    private static readonly Gen<FeatureValue> SmallParts = Gen.OneOf(
        Gen.Elements(0, 1, -1).Select(FeatureValue.Int32),
        Gen.Elements(0L, 1L, -1L).Select(FeatureValue.Int64),
        Gen.Elements("", "1", "a", "a:b", "b:c", "c", "b", "[1]").Select(FeatureValue.String),
        Gen.Elements(true, false).Select(FeatureValue.Bool),
        Gen.Elements(Array.Empty<byte>(), [1], [0, 1], [0x31]).Select(FeatureValue.Bytes));

    private static readonly Gen<FeatureValue[]> SmallKeys = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(SmallParts, n));

    [Property(MaxTest = 300)]
    public Property Parts_of_a_created_key_are_the_parts_it_was_created_from() =>
        Prop.ForAll(Keys.ToArbitrary(), parts =>
        {
            var key = EntityKey.Create(parts);
            Assert.Equal(parts, key.Parts());
            Assert.Equal(key, EntityKey.FromBytes(key.Bytes));
            Assert.Equal(key.GetHashCode(), EntityKey.FromBytes(key.Bytes).GetHashCode());
        });

    [Property(MaxTest = 300)]
    public Property Text_form_parses_back_to_the_same_key() =>
        Prop.ForAll(Keys.ToArbitrary(), parts =>
        {
            var key = EntityKey.Create(parts);
            var parsed = EntityKey.ParseText(key.ToText(), [.. parts.Select(p => p.Type)]);
            Assert.Equal(key, parsed);
            Assert.Equal(parts, parsed.Parts());
        });

    [Property(MaxTest = 1000)]
    public Property Keys_have_equal_bytes_exactly_when_their_parts_are_equal() =>
        Prop.ForAll(SmallKeys.ToArbitrary(), SmallKeys.ToArbitrary(), (left, right) =>
        {
            var sameParts = left.Length == right.Length && left.AsSpan().SequenceEqual(right);
            var a = EntityKey.Create(left);
            var b = EntityKey.Create(right);
            Assert.Equal(sameParts, a.Bytes.SequenceEqual(b.Bytes));
            Assert.Equal(sameParts, a.Equals(b));
            Assert.Equal(sameParts, a.ToText() == b.ToText() && SameTypes(left, right));
        });

    [Property(MaxTest = 300)]
    public Property Different_random_keys_have_different_bytes() =>
        Prop.ForAll(Keys.ToArbitrary(), Keys.ToArbitrary(), (left, right) =>
        {
            var sameParts = left.Length == right.Length && left.AsSpan().SequenceEqual(right);
            Assert.Equal(sameParts, EntityKey.Create(left).Bytes.SequenceEqual(EntityKey.Create(right).Bytes));
        });

    [Fact]
    public void Int64_one_and_string_one_are_different_keys()
    {
        var number = EntityKey.Create(FeatureValue.Int64(1));
        var text = EntityKey.Create(FeatureValue.String("1"));

        Assert.NotEqual(number, text);
        Assert.False(number.Bytes.SequenceEqual(text.Bytes));
        Assert.Equal("1", number.ToText());
        Assert.Equal("\"1\"", text.ToText());
    }

    [Fact]
    public void Separator_inside_a_part_does_not_make_two_composite_keys_equal()
    {
        var left = EntityKey.Create(FeatureValue.String("a:b"), FeatureValue.String("c"));
        var right = EntityKey.Create(FeatureValue.String("a"), FeatureValue.String("b:c"));

        Assert.NotEqual(left, right);
        Assert.False(left.Bytes.SequenceEqual(right.Bytes));
        Assert.NotEqual(left.ToText(), right.ToText());
        Assert.Equal("[\"a:b\",\"c\"]", left.ToText());
    }

    [Fact]
    public void Int32_one_and_int64_one_are_different_keys_with_the_same_text()
    {
        var int32 = EntityKey.Create(FeatureValue.Int32(1));
        var int64 = EntityKey.Create(FeatureValue.Int64(1));

        Assert.NotEqual(int32, int64);
        Assert.False(int32.Bytes.SequenceEqual(int64.Bytes));
        // The text form is typed by the view's join keys, so it may (and does) coincide.
        Assert.Equal(int32.ToText(), int64.ToText());
        Assert.Equal(int32, EntityKey.ParseText("1", [FeatureType.Int32]));
        Assert.Equal(int64, EntityKey.ParseText("1", [FeatureType.Int64]));
    }

    [Fact]
    public void Prefix_of_a_composite_key_is_a_different_key()
    {
        var one = EntityKey.Create(FeatureValue.String("a"));
        var two = EntityKey.Create(FeatureValue.String("a"), FeatureValue.String(""));

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Bytes_follow_the_documented_layout()
    {
        var key = EntityKey.Create(FeatureValue.Int32(-1), FeatureValue.String("é"));

        Assert.Equal(
            new byte[] { 2, (byte)ScalarKind.Int32, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, (byte)ScalarKind.String, 2, 0xC3, 0xA9 },
            key.ToArray());
    }

    [Fact]
    public void Key_without_parts_or_with_a_null_or_list_part_is_rejected()
    {
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<GranaryException>(() => EntityKey.Create()).Code);
        Assert.Throws<GranaryException>(() => EntityKey.Create(FeatureValue.Null(FeatureType.Int64)));
        Assert.Throws<GranaryException>(() => EntityKey.Create(FeatureValue.List(ScalarKind.Int64, new long[] { 1 })));
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("1.5")]
    [InlineData("9223372036854775808")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public void Text_that_is_not_an_int64_key_is_rejected(string text) =>
        Assert.Throws<GranaryException>(() => EntityKey.ParseText(text, [FeatureType.Int64]));

    [Fact]
    public void Composite_text_needs_one_value_per_join_key()
    {
        Assert.Throws<GranaryException>(() => EntityKey.ParseText("[1]", [FeatureType.Int64, FeatureType.String]));
        Assert.Throws<GranaryException>(() => EntityKey.ParseText("[1,\"a\",2]", [FeatureType.Int64, FeatureType.String]));
        Assert.Throws<GranaryException>(() => EntityKey.ParseText("[\"a\",1]", [FeatureType.Int64, FeatureType.String]));
        Assert.Equal(
            EntityKey.Create(FeatureValue.Int64(1), FeatureValue.String("a")),
            EntityKey.ParseText("[1,\"a\"]", [FeatureType.Int64, FeatureType.String]));
    }

    private static bool SameTypes(FeatureValue[] left, FeatureValue[] right) =>
        left.Length == right.Length && left.Select(p => p.Type).SequenceEqual(right.Select(p => p.Type));
}
