namespace Granary.Registry.Storage;

/// <summary>Every object of a project at one version, ordered by kind (dependency order) then name.</summary>
public sealed record RegistrySnapshot(string Project, long Version, IReadOnlyList<StoredObject> Objects)
{
    public static RegistrySnapshot Empty(string project) => new(project, 0, []);
}
