using System.Text.RegularExpressions;
using Granary.Core.Model;

namespace Granary.Registry.Loading;

/// <summary>
/// What a repository writes but could not load: objects and schema fields already reported as mistakes, and every
/// name mentioned in a file that failed to parse. Validation does not report a reference to one of these as unknown:
/// the first mistake is the one to fix, and the rest would only follow from it.
/// </summary>
internal sealed partial class UnloadedDefinitions
{
    private readonly HashSet<(ObjectKind, string)> _objects = [];
    private readonly HashSet<(string View, string Field)> _fields = [];
    private readonly HashSet<string> _mentioned = new(StringComparer.Ordinal);

    /// <summary>An object named <paramref name="name"/> was written but failed to load.</summary>
    internal void Add(ObjectKind kind, string name) => _objects.Add((kind, name));

    /// <summary>A field of <paramref name="view"/> was written but failed to load (an unknown dtype, say).</summary>
    internal void AddField(string view, string field) => _fields.Add((view, field));

    /// <summary>A file failed to parse: any name it seems to define may be one that others refer to.</summary>
    internal void AddNamesMentionedIn(string text)
    {
        foreach (Match match in NameValue().Matches(text))
        {
            _mentioned.Add(match.Groups[1].Value);
        }
    }

    /// <summary>Whether a reference to <paramref name="name"/> of <paramref name="kind"/> may point at something that failed to load.</summary>
    public bool Contains(ObjectKind kind, string name) => _objects.Contains((kind, name)) || _mentioned.Contains(name);

    /// <summary>Whether <paramref name="view"/> lost any field while loading.</summary>
    public bool LostFieldsOf(string view)
    {
        foreach (var (owner, _) in _fields)
        {
            if (owner == view)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="field"/> of <paramref name="view"/> failed to load.</summary>
    public bool ContainsField(string view, string field) => _fields.Contains((view, field));

    // "name: x" in block or flow style, quoted or not: what a definition's name looks like even in a broken file.
    [GeneratedRegex("""(?:^|[\s{,-])name:[ \t]*["']?([A-Za-z_][A-Za-z0-9_]*)""", RegexOptions.Multiline)]
    private static partial Regex NameValue();
}
