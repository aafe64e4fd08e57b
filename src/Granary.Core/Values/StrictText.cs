namespace Granary.Core.Values;

/// <summary>
/// Strings a store may hold: well-formed UTF-16, so every one has exactly one UTF-8 form. A lone surrogate would
/// otherwise become U+FFFD on the way to bytes, and two different strings would be stored as one. The check is the
/// wire contract's (<see cref="Contracts.Text.WellFormedText"/>), so what a reader accepts is what a store takes.
/// </summary>
internal static class StrictText
{
    /// <summary>Whether <paramref name="text"/> has no unpaired surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => Contracts.Text.WellFormedText.IsWellFormed(text);
}
