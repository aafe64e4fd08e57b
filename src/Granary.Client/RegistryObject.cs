using System.Text.Json;

namespace Granary.Client;

/// <summary>One registry object as the server describes it: its canonical JSON spec and its versions.</summary>
public sealed class RegistryObject
{
    internal RegistryObject(
        RegistryObjectKind kind, string name, JsonElement spec, string hash, long createdVersion, long updatedVersion, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        Kind = kind;
        Name = name;
        Spec = spec;
        Hash = hash;
        CreatedVersion = createdVersion;
        UpdatedVersion = updatedVersion;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>What kind of object this is.</summary>
    public RegistryObjectKind Kind { get; }

    /// <summary>The object's name.</summary>
    public string Name { get; }

    /// <summary>The spec, exactly as the registry stores and hashes it (a detached element: it outlives the answer).</summary>
    public JsonElement Spec { get; }

    /// <summary>The spec's hash.</summary>
    public string Hash { get; }

    /// <summary>The registry version that created the object.</summary>
    public long CreatedVersion { get; }

    /// <summary>The registry version that last changed it.</summary>
    public long UpdatedVersion { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; }
}
