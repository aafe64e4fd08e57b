using Granary.Core.Model;
using Granary.Registry.Storage;

namespace Granary.Registry.Planning;

/// <summary>One object that an apply would add, update or remove, with what changes inside it.</summary>
public sealed record PlannedChange(
    ObjectKind Kind,
    string Name,
    ChangeAction Action,
    string? NewSpec,
    string? NewHash,
    string? OldHash,
    IReadOnlyList<PropertyChange> Properties)
{
    public ObjectChange ToObjectChange() => new(Kind, Name, Action, NewSpec, NewHash, OldHash);
}
