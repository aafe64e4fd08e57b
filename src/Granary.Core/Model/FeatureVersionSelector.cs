using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Granary.Core.Model;

/// <summary>
/// Which version of a feature view a reference reads (Feast's <c>view@v2:feature</c>): the newest version with a
/// given major (<c>v2</c>), or exactly one version (<c>1.2.0</c>). A reference without a selector reads the current
/// version, the registry's objects.
/// </summary>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version; ignored unless <paramref name="IsExact"/>.</param>
/// <param name="Patch">The patch version; ignored unless <paramref name="IsExact"/>.</param>
/// <param name="IsExact">True for <c>MAJOR.MINOR.PATCH</c>, false for <c>vMAJOR</c>.</param>
public readonly record struct FeatureVersionSelector(int Major, int Minor, int Patch, bool IsExact)
{
    /// <summary>The newest version whose major is <paramref name="major"/>: <c>v2</c>.</summary>
    public static FeatureVersionSelector NewestOfMajor(int major) => new(major, 0, 0, IsExact: false);

    /// <summary>Exactly <c>major.minor.patch</c>.</summary>
    public static FeatureVersionSelector Exactly(int major, int minor, int patch) => new(major, minor, patch, IsExact: true);

    /// <summary><c>v2</c> or <c>1.2.0</c>: the text that follows <c>@</c> in a reference.</summary>
    public override string ToString() => IsExact
        ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}")
        : string.Create(CultureInfo.InvariantCulture, $"v{Major}");

    /// <summary>
    /// Parses what follows <c>@</c>: <c>v2</c> (or <c>V2</c>), <c>1.2.0</c> (or <c>v1.2.0</c>). Numbers are
    /// non-negative decimal integers; <c>latest</c> is not a selector (see <see cref="FeatureReference.TryParse"/>).
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out FeatureVersionSelector selector) =>
        TryParse(text.AsSpan(), out selector);

    internal static bool TryParse(ReadOnlySpan<char> text, out FeatureVersionSelector selector)
    {
        selector = default;
        var span = text;
        var prefixed = span.Length > 0 && (span[0] == 'v' || span[0] == 'V');
        if (prefixed)
        {
            span = span[1..];
        }

        if (span.IndexOf('.') < 0)
        {
            if (!prefixed || !TryNumber(span, out var major))
            {
                return false;
            }

            selector = NewestOfMajor(major);
            return true;
        }

        Span<Range> parts = stackalloc Range[4];
        if (span.Split(parts, '.') != 3
            || !TryNumber(span[parts[0]], out var exactMajor) || !TryNumber(span[parts[1]], out var minor) || !TryNumber(span[parts[2]], out var patch))
        {
            return false;
        }

        selector = Exactly(exactMajor, minor, patch);
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
