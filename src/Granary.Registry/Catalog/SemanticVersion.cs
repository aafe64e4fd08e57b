using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Granary.Registry.Catalog;

/// <summary>
/// A <c>MAJOR.MINOR.PATCH</c> version of a catalog entry. A major bump marks a breaking change (a dtype change, a
/// removed feature, a changed entity or transformation), a minor one an additive change, a patch one metadata only.
/// </summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch) : IComparable<SemanticVersion>
{
    /// <summary>The version every entry starts at.</summary>
    public static readonly SemanticVersion Initial = new(1, 0, 0);

    public SemanticVersion NextMajor() => new(Major + 1, 0, 0);

    public SemanticVersion NextMinor() => new(Major, Minor + 1, 0);

    public SemanticVersion NextPatch() => new(Major, Minor, Patch + 1);

    public int CompareTo(SemanticVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    /// <summary>Parses <c>1.2.0</c> (three non-negative integers; a leading <c>v</c> is accepted).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SemanticVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.Length > 0 && (span[0] == 'v' || span[0] == 'V'))
        {
            span = span[1..];
        }

        Span<Range> parts = stackalloc Range[4];
        if (span.Split(parts, '.') != 3)
        {
            return false;
        }

        if (!TryPart(span[parts[0]], out var major) || !TryPart(span[parts[1]], out var minor) || !TryPart(span[parts[2]], out var patch))
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch);
        return true;
    }

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"Invalid version '{text}'; expected MAJOR.MINOR.PATCH such as 1.2.0.");

    private static bool TryPart(ReadOnlySpan<char> part, out int value) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
