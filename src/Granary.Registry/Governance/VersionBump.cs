namespace Granary.Registry.Governance;

/// <summary>How far a change moves a semantic version, ordered so the largest of several changes wins.</summary>
internal enum VersionBump
{
    None,
    Patch,
    Minor,
    Major,
}
