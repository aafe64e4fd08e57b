using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Model;

/// <summary>
/// A reference to one feature of one view, written <c>view:feature</c>; with a version, Feast's
/// <c>view@v2:feature</c> (the newest version whose major is 2) or <c>view@1.2.0:feature</c> (exactly that version).
/// </summary>
public readonly record struct FeatureReference(string View, string Feature)
{
    /// <summary>The version of the view to read, or null for its current version (the registry's objects).</summary>
    public FeatureVersionSelector? Version { get; init; }

    /// <summary>
    /// The view as the reference names it: <c>view</c>, or <c>view@v2</c> / <c>view@1.2.0</c> with a version. Full
    /// feature names are <c>{QualifiedView}__{feature}</c>, as Feast names a version-qualified reference's column.
    /// </summary>
    public string QualifiedView => Version is { } version ? $"{View}@{version}" : View;

    public override string ToString() => Version is { } version ? $"{View}@{version}:{Feature}" : $"{View}:{Feature}";

    /// <summary>
    /// Parses <c>view:feature</c>, <c>view@v2:feature</c> or <c>view@1.2.0:feature</c>; <c>view@latest:feature</c>
    /// means the current version, as in Feast.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out FeatureReference reference)
    {
        reference = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0)
        {
            return false;
        }

        var viewPart = text.AsSpan(0, colon).Trim();
        FeatureVersionSelector? version = null;
        var at = viewPart.IndexOf('@');
        if (at >= 0)
        {
            var versionText = viewPart[(at + 1)..].Trim();
            viewPart = viewPart[..at].Trim();
            if (versionText.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                version = null;
            }
            else if (FeatureVersionSelector.TryParse(versionText, out var selector))
            {
                version = selector;
            }
            else
            {
                return false;
            }
        }

        var view = viewPart.ToString();
        var feature = text[(colon + 1)..].Trim();
        if (!Identifier.IsValid(view) || !Identifier.IsValid(feature))
        {
            return false;
        }

        reference = new FeatureReference(view, feature) { Version = version };
        return true;
    }

    public static FeatureReference Parse(string text) =>
        TryParse(text, out var r) ? r : throw new FormatException($"Invalid feature reference '{text}'; expected view:feature, view@v2:feature or view@1.2.0:feature.");
}
