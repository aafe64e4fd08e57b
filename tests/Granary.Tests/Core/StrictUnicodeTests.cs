using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Core;

public sealed class StrictUnicodeTests
{
    [Fact]
    public void Keys_with_unpaired_surrogates_are_refused_rather_than_colliding()
    {
        var e = Assert.Throws<GranaryException>(() => EntityKey.Create(FeatureValue.String("\uD800")));
        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
    }

    [Fact]
    public void String_values_with_unpaired_surrogates_are_refused()
    {
        var schema = new RecordSchema([new Field("s", FeatureType.String)]);
        Assert.Throws<GranaryException>(() => OnlineRecord.Encode(schema, 1, 1, [FeatureValue.String("x\uDC00")]));
    }

    [Fact]
    public void A_record_with_another_feature_count_never_decodes()
    {
        var two = new RecordSchema([new Field("x", FeatureType.Int64), new Field("y", FeatureType.String)]);
        var one = new RecordSchema([new Field("x:int64;y", FeatureType.String)]);
        var record = OnlineRecord.Encode(two, 1, 1, [FeatureValue.Int64(1), FeatureValue.String("a")]);

        Assert.False(OnlineRecord.TryDecode(record, one, new FeatureValue[1]));
    }
}
