namespace Granary.Registry.Storage;

/// <summary>One entry of a project's apply history. History entries are written once and never updated.</summary>
/// <param name="Project">The project.</param>
/// <param name="Version">The version this apply produced.</param>
/// <param name="AppliedAt">When (UTC).</param>
/// <param name="AppliedBy">Who (user@host).</param>
/// <param name="Changes">What changed: kind, name, action and hashes.</param>
/// <param name="Definitions">Canonical JSON of the whole repository as applied.</param>
public sealed record ApplyRecord(
    string Project,
    long Version,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    IReadOnlyList<ObjectChange> Changes,
    string Definitions);
