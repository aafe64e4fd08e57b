using FsCheck;
using FsCheck.Fluent;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>FsCheck generators of <see cref="EventMessage"/>s: any finite number, any well-formed string, any bytes, times in years 1 to 9999.</summary>
internal static class EventMessageGen
{
    public static Arbitrary<EventMessage> Messages() => Message().ToArbitrary();

    private static Gen<EventMessage> Message() =>
        from user in ArbMap.Default.GeneratorFor<long>()
        from merchant in Text()
        from micros in Micros()
        from timeForm in Gen.Choose(0, 3)
        from offset in Gen.Choose(-14 * 60, 14 * 60)
        from columns in Columns()
        from variant in Gen.Choose(0, 5)
        from id in Text().Where(t => t.Length > 0)
        select new EventMessage(user, merchant, micros, timeForm, offset, columns, variant, id);

    // Kept a day inside the representable range, so that any offset still names a valid date.
    private static Gen<long> Micros() =>
        from seconds in Gen.Choose(-62_135_000, 253_402_000)
        from thousands in Gen.Choose(0, 999)
        from fraction in Gen.Choose(0, 999_999)
        select (((long)seconds * 1_000) + thousands) * 1_000_000 + fraction;

    private static Gen<FeatureValue[]> Columns()
    {
        var present = Gen.Frequency((1, Gen.Constant(false)), (3, Gen.Constant(true)));
        Gen<FeatureValue> Optional(FeatureType type, Gen<FeatureValue> value) =>
            from given in present
            from v in value
            select given ? v : FeatureValue.Null(type);

        return
            from amount in Optional(FeatureType.Float64, ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(FeatureValue.Float64))
            from ratio in Optional(FeatureType.Float32, ArbMap.Default.GeneratorFor<float>().Where(float.IsFinite).Select(FeatureValue.Float32))
            from quantity in Optional(FeatureType.Int32, ArbMap.Default.GeneratorFor<int>().Select(FeatureValue.Int32))
            from points in Optional(FeatureType.Int64, ArbMap.Default.GeneratorFor<long>().Select(FeatureValue.Int64))
            from flag in Optional(FeatureType.Bool, ArbMap.Default.GeneratorFor<bool>().Select(FeatureValue.Bool))
            from note in Optional(FeatureType.String, Text().Select(FeatureValue.String))
            from blob in Optional(FeatureType.Bytes, ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null).Select(FeatureValue.Bytes))
            from seenAt in Optional(FeatureType.UnixTimestamp, Micros().Select(FeatureValue.Timestamp))
            select new[] { amount, ratio, quantity, points, flag, note, blob, seenAt };
    }

    private static Gen<string> Text() =>
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null && StrictText.IsWellFormed(s));
}
