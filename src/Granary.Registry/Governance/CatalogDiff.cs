using Granary.Registry.Planning;

namespace Granary.Registry.Governance;

/// <summary>
/// Classifies what changed between two canonical forms of a view or of one feature (a schema field), by the rules of
/// the catalog's semantic versions. For a view: <b>major</b> for a feature removed or retyped, other entities, another
/// source, a feature's transformation or the stream aggregations changed; <b>minor</b> for a feature added, the ttl or
/// <c>online</c> changed, or the schema reordered; <b>patch</b> for anything else (metadata: description, owner, tags,
/// feature_type, validation rules, upstream features). For a feature: dtype or transformation → major, else patch.
/// </summary>
internal static class CatalogDiff
{
    /// <summary>The bump, one changelog line per property change, and the breaking ones (those that made it major).</summary>
    public sealed record Result(VersionBump Bump, IReadOnlyList<string> Lines, IReadOnlyList<string> Breaking);

    public static Result CompareViews(string oldSpec, string newSpec)
    {
        var lines = new List<string>();
        var breaking = new List<string>();
        var bump = VersionBump.None;
        foreach (var change in JsonDiff.Compare(oldSpec, newSpec))
        {
            var (level, line) = ClassifyViewChange(change);
            lines.Add(line);
            if (level == VersionBump.Major)
            {
                breaking.Add(line);
            }

            bump = Max(bump, level);
        }

        if (bump == VersionBump.None && !string.Equals(oldSpec, newSpec, StringComparison.Ordinal))
        {
            // Same properties in another order: only the schema's order can move, and it changes the stored record layout.
            lines.Add("schema: features reordered");
            bump = VersionBump.Minor;
        }

        return new Result(bump, lines, breaking);
    }

    public static Result CompareFeatures(string oldField, string newField)
    {
        var lines = new List<string>();
        var breaking = new List<string>();
        var bump = VersionBump.None;
        foreach (var change in JsonDiff.Compare(oldField, newField))
        {
            var line = change.ToString();
            var level = change.Path == "dtype" || IsUnder(change.Path, "transformation") ? VersionBump.Major : VersionBump.Patch;
            lines.Add(line);
            if (level == VersionBump.Major)
            {
                breaking.Add(line);
            }

            bump = Max(bump, level);
        }

        return new Result(bump, lines, breaking);
    }

    public static VersionBump Max(VersionBump a, VersionBump b) => a >= b ? a : b;

    private static (VersionBump, string) ClassifyViewChange(PropertyChange change)
    {
        var path = change.Path;
        if (path is "entities" or "source" || IsUnder(path, "stream"))
        {
            return (VersionBump.Major, change.ToString());
        }

        if (path is "ttl" or "online")
        {
            return (VersionBump.Minor, change.ToString());
        }

        if (path.StartsWith("schema.", StringComparison.Ordinal))
        {
            var rest = path["schema.".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                // The whole field: added or removed.
                return change.NewValue is null
                    ? (VersionBump.Major, $"schema.{rest}: removed")
                    : (VersionBump.Minor, $"schema.{rest}: added");
            }

            var property = rest[(dot + 1)..];
            if (property == "dtype" || IsUnder(property, "transformation"))
            {
                return (VersionBump.Major, change.ToString());
            }
        }

        return (VersionBump.Patch, change.ToString());
    }

    private static bool IsUnder(string path, string property) =>
        path == property || (path.StartsWith(property, StringComparison.Ordinal) && path.Length > property.Length && path[property.Length] is '.' or '[');
}
