namespace Granary.Registry.Storage;

/// <summary>
/// What a reader polls to know whether its snapshot is still current: the project's version (moved by applies) and
/// its catalog stamp (moved by every catalog write except usage records). Both 0 for a project never written.
/// </summary>
/// <param name="Version">The project's version, as <see cref="IRegistryStore.GetVersionAsync"/> answers.</param>
/// <param name="CatalogStamp">A counter that only ever grows; its value means nothing beyond "changed or not".</param>
public readonly record struct RegistryStamp(long Version, long CatalogStamp);
