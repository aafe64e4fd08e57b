using Granary.Core.Model;

namespace Granary.Tests.Core;

public sealed class FeatureTypeTests
{
    [Theory]
    [InlineData("int64", ScalarKind.Int64, false)]
    [InlineData("Int64", ScalarKind.Int64, false)]
    [InlineData("INT64", ScalarKind.Int64, false)]
    [InlineData("float", ScalarKind.Float32, false)]
    [InlineData("DOUBLE", ScalarKind.Float64, false)]
    [InlineData("list<float32>", ScalarKind.Float32, true)]
    [InlineData("Array(Float32)", ScalarKind.Float32, true)]
    [InlineData("FLOAT_LIST", ScalarKind.Float32, true)]
    [InlineData("string[]", ScalarKind.String, true)]
    [InlineData("unix_timestamp", ScalarKind.UnixTimestamp, false)]
    public void Parses_canonical_and_feast_spellings(string text, ScalarKind kind, bool isList)
    {
        Assert.True(FeatureType.TryParse(text, out var type));
        Assert.Equal(new FeatureType(kind, isList), type);
    }

    [Theory]
    [InlineData("int63")]
    [InlineData("list<>")]
    [InlineData("list<list<int64>>")]
    [InlineData("")]
    public void Rejects_unknown_types(string text) => Assert.False(FeatureType.TryParse(text, out _));

    [Fact]
    public void Canonical_names_parse_back_to_the_same_type()
    {
        foreach (var kind in Enum.GetValues<ScalarKind>())
        {
            foreach (var isList in new[] { false, true })
            {
                var type = new FeatureType(kind, isList);
                Assert.Equal(type, FeatureType.Parse(type.ToString()));
            }
        }
    }
}
