namespace Granary.Registry.Storage;

/// <summary>A project held by a registry: its name, current version, and when it was last applied.</summary>
public sealed record RegistryProject(string Name, long Version, DateTimeOffset UpdatedAt);
