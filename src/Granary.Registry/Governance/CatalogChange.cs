using Granary.Registry.Catalog;

namespace Granary.Registry.Governance;

/// <summary>One line of what an apply changes in the catalog, as <c>plan</c> and <c>apply</c> print it.</summary>
/// <param name="Name">The entry: a view's name or <c>view:feature</c>.</param>
/// <param name="Kind">View or feature.</param>
/// <param name="Action">What happens to it.</param>
/// <param name="From">The entry's current version before the apply; null for a new entry.</param>
/// <param name="To">The version the apply makes or promotes; null when the version stays.</param>
/// <param name="Reason">Why: the bump (<c>major</c>, <c>minor</c>, <c>patch</c>) and the changes, or what the action means.</param>
public sealed record CatalogChange(string Name, CatalogEntryKind Kind, CatalogChangeAction Action, SemanticVersion? From, SemanticVersion? To, string Reason)
{
    /// <summary><c>catalog customer_stats 1.2.0 -> 2.0.0 (major: schema.avg.dtype: float64 -> float32)</c>.</summary>
    public override string ToString()
    {
        var versions = (From, To) switch
        {
            (null, { } to) => $"{to}",
            ({ } from, { } to) => $"{from} -> {to}",
            ({ } from, null) => $"{from}",
            _ => "",
        };
        var staged = Action == CatalogChangeAction.Stage ? " staged" : "";
        return $"catalog {Name} {versions}{staged} ({Reason})";
    }
}
