using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Http;
using Granary.OnlineServing;
using Granary.Server.Http;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Tests.Server.Http;

/// <summary>The answer's JSON against a naive writer: every timestamp through <see cref="Utf8JsonWriter.WriteStringValue(DateTime)"/>.</summary>
public sealed class OnlineResponseJsonTests
{
    [Property(MaxTest = 200)]
    public Property Timestamps_format_as_the_json_writer_formats_utc_datetimes() =>
        Prop.ForAll(AnyTimestamp().ToArbitrary(), micros =>
        {
            Span<byte> text = stackalloc byte[40];
            var length = FeastJsonValues.FormatTimestamp(micros, text);
            return Encoding.UTF8.GetString(text[..length]) == Naive(micros);
        });

    [Property(MaxTest = 100)]
    public Property Answers_with_shared_and_different_times_per_column_match_the_naive_writer() =>
        Prop.ForAll(AnswerGen().ToArbitrary(), answer =>
        {
            var (names, rows, times) = answer;
            var response = new OnlineFeaturesResponse(names, rows);
            for (var c = 0; c < names.Length; c++)
            {
                for (var r = 0; r < rows; r++)
                {
                    response.Set(c, r, FeatureValue.Int64((c * 100) + r), FeatureStatus.Present, times[c][r]);
                }
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                OnlineResponseJson.Write(writer, response);
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            var results = document.RootElement.GetProperty("results");
            for (var c = 0; c < names.Length; c++)
            {
                var written = results[c].GetProperty("event_timestamps").EnumerateArray().Select(e => e.GetRawText()).ToArray();
                if (!written.SequenceEqual(times[c].Select(Naive)))
                {
                    return false;
                }
            }

            return true;
        });

    private static string Naive(long micros)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(UtcMicros.ToDateTimeOffset(micros).UtcDateTime);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Whole seconds, whole milliseconds, any microsecond, and the epoch (Feast's "no value").
    private static Gen<long> TimestampGen(int kind) => kind switch
    {
        0 => Gen.Choose(0, int.MaxValue).Select(s => s * 1_000_000L),
        1 => Gen.Choose(0, int.MaxValue).Select(ms => ms * 1_000L),
        2 => Gen.Choose(0, int.MaxValue).SelectMany(s => Gen.Choose(0, 999_999).Select(us => (s * 1_000_000L) + us)),
        _ => Gen.Constant(0L),
    };

    private static Gen<long> AnyTimestamp() => Gen.Choose(0, 3).SelectMany(kind => TimestampGen(kind));

    // Columns either repeat the first column's times (the same view) or have times of their own (another view).
    private static Gen<(string[] Names, int Rows, long[][] Times)> AnswerGen() =>
        Gen.Choose(1, 6).SelectMany(columns => Gen.Choose(0, 5).SelectMany(rows =>
            Gen.ArrayOf(AnyTimestamp(), rows).SelectMany(first =>
                Gen.ArrayOf(Gen.Elements(true, false).SelectMany(same => same ? Gen.Constant(first) : Gen.ArrayOf(AnyTimestamp(), rows)), columns)
                    .Select(times => (Enumerable.Range(0, columns).Select(c => $"c{c}").ToArray(), rows, times)))));
}
