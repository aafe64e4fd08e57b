using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Core;

/// <summary>Decoding only some features gives exactly what a full decode gives for those features.</summary>
public sealed class SelectiveDecodeTests
{
    private static readonly RecordSchema Schema = new([
        new Field("s", FeatureType.String), new Field("i", FeatureType.Int64), new Field("b", FeatureType.Bytes),
        new Field("l", FeatureType.String.AsList()), new Field("d", FeatureType.Float64), new Field("f", FeatureType.Float32.AsList()),
        new Field("t", FeatureType.Bool), new Field("z", FeatureType.String),
    ]);

    [Property(MaxTest = 200)]
    public Property Skipped_features_never_shift_the_ones_read() =>
        Prop.ForAll(
            Gen.Zip(Gen.Elements("", "a", "héllo", new string('x', 300)), Gen.ArrayOf(Gen.Elements(true, false), Schema.Count)).ToArbitrary(),
            input =>
            {
                var (text, wanted) = input;
                FeatureValue[] values =
                [
                    FeatureValue.String(text), FeatureValue.Int64(text.Length), FeatureValue.Bytes(new byte[text.Length % 200]),
                    FeatureValue.List(ScalarKind.String, new[] { text, "b" }), FeatureValue.Float64(0.5), FeatureValue.List(ScalarKind.Float32, new[] { 1f, 2f }),
                    FeatureValue.Bool(true), FeatureValue.String(text + "!"),
                ];
                var record = OnlineRecord.Encode(Schema, 1, 2, values);
                var all = new FeatureValue[Schema.Count];
                var some = new FeatureValue[Schema.Count];

                Assert.True(OnlineRecord.TryDecode(record, Schema, all));
                Assert.True(OnlineRecord.TryDecode(record, Schema, some, wanted));
                for (var i = 0; i < wanted.Length; i++)
                {
                    if (wanted[i])
                    {
                        Assert.Equal(all[i], some[i]);
                    }
                }
            });
}
