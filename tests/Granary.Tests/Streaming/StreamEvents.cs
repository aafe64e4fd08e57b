using FsCheck;
using FsCheck.Fluent;
using Granary.Core.Time;

namespace Granary.Tests.Streaming;

/// <summary>
/// Random events for the stream tests: two hours of seconds with sub-second neighbours (so tile edges and ties are
/// hit), quarter-valued amounts (sums are exact in any order), small integers and a few merchants whose order differs
/// between UTF-16 and code points; each column null one time in ten.
/// </summary>
internal static class StreamEvents
{
    public static readonly long T0 = UtcMicros.From(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly string[] Merchants = ["a", "b", "ab", "é", "\uE000", "😀", "z"];

    public static readonly Gen<StreamEvent> Any =
        Gen.Zip(
            Gen.Zip(Gen.Choose(0, 7200), Gen.Elements(0L, 1L, 999_999L)),
            Gen.Zip(
                Gen.Zip(
                    Gen.Frequency((1, Gen.Constant<double?>(null)), (9, Gen.Choose(-8, 40).Select(q => (double?)(q / 4.0)))),
                    Gen.Frequency((1, Gen.Constant<long?>(null)), (9, Gen.Choose(-5, 50).Select(u => (long?)u)))),
                Gen.Frequency((1, Gen.Constant<string?>(null)), (9, Gen.Elements(Merchants).Select(m => (string?)m)))),
            (time, values) => new StreamEvent(T0 + time.Item1 * 1_000_000L + time.Item2, values.Item1.Item1, values.Item1.Item2, values.Item2));
}
