using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Registry.Loading;

/// <summary>
/// Where each loaded object and each of its fields was written, so validation can point at the exact line.
/// Kept beside the definitions rather than inside them: locations are not part of an object's identity.
/// </summary>
public sealed class DefinitionLocations
{
    private readonly Dictionary<Definition, Dictionary<string, SourceLocation>> _sites = new(ReferenceEqualityComparer.Instance);

    /// <summary>What was written but failed to load, so that validation does not repeat a mistake as its consequences.</summary>
    internal UnloadedDefinitions Unloaded { get; } = new();

    /// <summary>An empty set, for definitions with no known locations (a new instance each time: the type is mutable).</summary>
    public static DefinitionLocations None => new();

    /// <summary>Records the location of <paramref name="definition"/> itself (path "") or of one of its fields.</summary>
    public void Record(Definition definition, string path, SourceLocation location)
    {
        if (!_sites.TryGetValue(definition, out var fields))
        {
            fields = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            _sites[definition] = fields;
        }

        fields[path] = location;
    }

    /// <summary>The location of a field (e.g. <c>ttl</c>, <c>entities[1]</c>, <c>schema[2].dtype</c>), falling back to the object's.</summary>
    public SourceLocation? Of(Definition definition, string path = "")
    {
        if (!_sites.TryGetValue(definition, out var fields))
        {
            return null;
        }

        if (fields.TryGetValue(path, out var location))
        {
            return location;
        }

        return fields.TryGetValue("", out var objectLocation) ? objectLocation : null;
    }

    /// <summary>Copies every location recorded for <paramref name="from"/> to <paramref name="to"/> (after a record is rebuilt).</summary>
    public void Move(Definition from, Definition to)
    {
        if (_sites.Remove(from, out var fields))
        {
            _sites[to] = fields;
        }
    }

    internal void AddAll(DefinitionLocations other)
    {
        foreach (var (definition, fields) in other._sites)
        {
            _sites[definition] = fields;
        }
    }
}
