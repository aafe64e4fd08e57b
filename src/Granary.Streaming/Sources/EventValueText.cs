using System.Globalization;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Sources;

/// <summary>
/// Reads one value of a Redis stream entry's field, always text, as its column's type: integers in decimal digits
/// with an optional sign; floats as .NET and most languages print them (<c>12.5</c>, <c>1e-3</c>; NaN and infinities
/// refused); booleans <c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>; bytes in base64; timestamps as
/// <see cref="EventTimestamps"/> says; strings as they are. All in the invariant culture: <c>1,5</c> is not a number.
/// </summary>
internal static class EventValueText
{
    /// <summary>The value, or null with the reason it is not one of <paramref name="type"/>.</summary>
    public static FeatureValue? Parse(string text, FeatureType type, out string? error)
    {
        error = null;
        switch (type.Kind)
        {
            case ScalarKind.Int32 when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                return FeatureValue.Int32(i);
            case ScalarKind.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                return FeatureValue.Int64(l);
            case ScalarKind.Float32 when float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f):
                return FeatureValue.Float32(f);
            case ScalarKind.Float64 when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                return FeatureValue.Float64(d);
            case ScalarKind.Bool when Bool(text) is { } b:
                return FeatureValue.Bool(b);
            case ScalarKind.String when StrictText.IsWellFormed(text):
                return FeatureValue.String(text);
            case ScalarKind.Bytes when Base64(text) is { } bytes:
                return FeatureValue.Bytes(bytes);
            case ScalarKind.UnixTimestamp:
                return EventTimestamps.Parse(text, out error) is { } micros ? FeatureValue.Timestamp(micros) : null;
            default:
                error = type.Kind switch
                {
                    ScalarKind.String => "the string is not valid Unicode (it has an unpaired surrogate)",
                    ScalarKind.Int32 or ScalarKind.Int64 => $"'{EventTimestamps.Shorten(text)}' is not an integer that fits {type}",
                    ScalarKind.Float32 or ScalarKind.Float64 => $"'{EventTimestamps.Shorten(text)}' is not a finite number",
                    ScalarKind.Bool => $"'{EventTimestamps.Shorten(text)}' is not true, false, 1 or 0",
                    _ => $"'{EventTimestamps.Shorten(text)}' is not base64",
                };
                return null;
        }
    }

    private static bool? Bool(string text) => text switch
    {
        "1" => true,
        "0" => false,
        _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };

    private static byte[]? Base64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }
}
