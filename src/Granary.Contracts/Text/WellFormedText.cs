namespace Granary.Contracts.Text;

/// <summary>
/// Text every wire accepts: well-formed UTF-16, so every string has exactly one UTF-8 form. A lone surrogate would
/// otherwise become U+FFFD on the way to bytes, and two different strings would be stored as one. The readers refuse
/// such text where it arrives; Granary.Core's StrictText, which the stores use, is this same check.
/// </summary>
internal static class WellFormedText
{
    /// <summary>Whether <paramref name="text"/> has no unpaired surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        // Most text has no surrogate at all: one vectorized scan decides.
        var first = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return true;
        }

        for (var i = first; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
