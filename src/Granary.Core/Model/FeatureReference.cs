using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Model;

/// <summary>A reference to one feature of one view, written <c>view:feature</c>.</summary>
public readonly record struct FeatureReference(string View, string Feature)
{
    public override string ToString() => $"{View}:{Feature}";

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

        var view = text[..colon].Trim();
        var feature = text[(colon + 1)..].Trim();
        if (!Identifier.IsValid(view) || !Identifier.IsValid(feature))
        {
            return false;
        }

        reference = new FeatureReference(view, feature);
        return true;
    }

    public static FeatureReference Parse(string text) =>
        TryParse(text, out var r) ? r : throw new FormatException($"Invalid feature reference '{text}'; expected view:feature.");
}
