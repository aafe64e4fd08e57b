using Granary.Core.Model;

namespace Granary.Registry.Storage;

/// <summary>One object as the registry holds it: its canonical JSON, the hash of that JSON, and its lifecycle.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">The object's name, unique within its kind and project.</param>
/// <param name="Spec">Canonical JSON of the definition (see <c>CanonicalJson</c>).</param>
/// <param name="Hash">Lowercase hex SHA-256 of <paramref name="Spec"/>'s UTF-8 bytes.</param>
/// <param name="CreatedVersion">The registry version that first added the object.</param>
/// <param name="UpdatedVersion">The registry version that last changed it.</param>
/// <param name="CreatedAt">When it was first added (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record StoredObject(
    ObjectKind Kind,
    string Name,
    string Spec,
    string Hash,
    long CreatedVersion,
    long UpdatedVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
