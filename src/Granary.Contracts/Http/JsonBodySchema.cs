namespace Granary.Contracts.Http;

/// <summary>
/// The one definition of a JSON body (a request's or a response's): its fields, from which its reader or writer
/// takes every name and the OpenAPI document its schema. Properties a request body has beyond these are skipped, as
/// Feast's server skips the fields a newer client sends.
/// </summary>
internal sealed class JsonBodySchema
{
    public JsonBodySchema(string name, string description, IReadOnlyList<JsonField> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(fields);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (!names.Add(field.Name))
            {
                throw new ArgumentException($"Body '{name}' has two fields named '{field.Name}'.", nameof(fields));
            }
        }

        Name = name;
        Description = description;
        Fields = fields;
    }

    /// <summary>The schema's name in the OpenAPI document's components.</summary>
    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<JsonField> Fields { get; }

    public override string ToString() => Name;
}
