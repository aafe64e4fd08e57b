using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Catalog;

namespace Granary.Governance;

// Versions: adding one through the API, listing them, and rollback (a new version restoring an older one).
public sealed partial class FeatureCatalog
{
    /// <summary>
    /// Adds a version newer than every existing one and makes it current; a snapshot left null keeps the entry's
    /// current transformation or validation rules. Of two concurrent creations of one version exactly one succeeds.
    /// </summary>
    /// <exception cref="GranaryException">
    /// <c>already_exists</c> for an existing version; <c>unprocessable</c> for one not newer than the newest, or breaking changes without a major bump.
    /// </exception>
    public async Task<CatalogVersion> CreateVersionAsync(string name, CatalogVersionCreate request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = await GetAsync(name, ct);
        var breaking = request.BreakingChanges ?? [];
        for (var i = 0; i < breaking.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(breaking[i]))
            {
                throw CatalogFields.Invalid($"breaking_changes[{i}]", "a breaking change must say what breaks");
            }
        }

        var transformation = CatalogFields.TransformationOf(request.TransformationSnapshot, "transformation_snapshot");
        var rules = request.ValidationSnapshot is null ? null : CatalogFields.RulesOf(request.ValidationSnapshot, "validation_snapshot");
        var versions = await _store.ListVersionsAsync(Project, entry.Name, ct);
        foreach (var existing in versions)
        {
            if (existing.Version == request.Version)
            {
                throw new GranaryException(ErrorCodes.AlreadyExists, $"'{entry.Name}' already has version {request.Version}.");
            }
        }

        var newest = versions.Count > 0 ? versions[0].Version : entry.CurrentVersion;
        if (request.Version < newest)
        {
            throw new GranaryException(ErrorCodes.Unprocessable, $"version: {request.Version} is older than '{entry.Name}''s newest version {newest}; a new version must be newer than every existing one.");
        }

        if (breaking.Count > 0 && request.Version.Major <= newest.Major)
        {
            throw new GranaryException(ErrorCodes.Unprocessable,
                $"breaking_changes: '{breaking[0]}' is a breaking change, which needs a major version after {newest} (such as {newest.NextMajor()}), not {request.Version}.");
        }

        var current = FindVersion(versions, entry.CurrentVersion);
        var now = Now;
        var version = new CatalogVersion(Project, entry.Name, request.Version)
        {
            Changelog = request.Changelog ?? "",
            BreakingChanges = breaking,
            TransformationSnapshot = transformation ?? entry.Metadata.Transformation,
            ValidationSnapshot = rules ?? entry.Metadata.ValidationRules,
            // The definition did not change: the new version serves what the current one does.
            DefinitionSnapshot = current?.DefinitionSnapshot,
            CreatedBy = _owner.ChangedBy,
            CreatedAt = now,
        };
        if (!await _store.AddVersionAsync(version, ct))
        {
            throw new GranaryException(ErrorCodes.AlreadyExists, $"'{entry.Name}' already has version {request.Version}.");
        }

        if (transformation is not null || rules is not null)
        {
            var keys = new HashSet<string>(entry.AppliedKeys, StringComparer.Ordinal);
            var metadata = entry.Metadata;
            if (transformation is not null)
            {
                metadata = metadata with { Transformation = transformation };
                keys.Remove(CatalogFields.Transformation);
            }

            if (rules is not null)
            {
                metadata = metadata with { ValidationRules = rules };
                keys.Remove(CatalogFields.ValidationRules);
            }

            await _store.UpdateCatalogEntryAsync(entry with { Metadata = metadata, AppliedKeys = keys, UpdatedAt = now, CurrentVersion = request.Version }, ct);
        }

        await ChangedAsync(ct);
        return await StoredVersionAsync(entry.Name, request.Version, ct) ?? version;
    }

    /// <summary>An entry's versions, newest first.</summary>
    public async Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        return await _store.ListVersionsAsync(Project, entry.Name, ct);
    }

    /// <summary>
    /// Restores <paramref name="targetVersion"/>'s snapshots (transformation, validation rules, definition) as a new
    /// current version: the next patch after the newest when the target has the newest's major, otherwise the next
    /// major (restoring an older major is a breaking change). The version that was current is marked rolled back;
    /// history is never rewritten. For a view the restored definition serves as <c>view@vN</c>; the unversioned view
    /// stays what the registry holds until the old definition is applied again.
    /// </summary>
    /// <exception cref="GranaryException"><c>not_found</c> for an unknown version; <c>conflict</c> when the target is the current version.</exception>
    public async Task<CatalogVersion> RollbackAsync(string name, SemanticVersion targetVersion, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        var versions = await _store.ListVersionsAsync(Project, entry.Name, ct);
        var target = FindVersion(versions, targetVersion)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"'{entry.Name}' has no version {targetVersion}; its versions are {Join(versions)}.");
        if (targetVersion == entry.CurrentVersion)
        {
            throw new GranaryException(ErrorCodes.Conflict, $"target_version: {targetVersion} is already the current version of '{entry.Name}'.");
        }

        var newest = versions[0].Version;
        var sameMajor = target.Version.Major == newest.Major;
        var number = sameMajor ? newest.NextPatch() : newest.NextMajor();
        var now = Now;
        var restored = new CatalogVersion(Project, entry.Name, number)
        {
            Changelog = $"rolled back to {targetVersion}",
            BreakingChanges = sameMajor ? [] : [$"restores {targetVersion} over the newest major version {newest.Major}"],
            TransformationSnapshot = target.TransformationSnapshot,
            ValidationSnapshot = target.ValidationSnapshot,
            DefinitionSnapshot = target.DefinitionSnapshot,
            CreatedBy = _owner.ChangedBy,
            CreatedAt = now,
            RestoredFrom = targetVersion,
        };
        if (!await _store.RollbackAsync(restored, entry.CurrentVersion, now, ct))
        {
            throw new GranaryException(ErrorCodes.AlreadyExists, $"'{entry.Name}' already has version {number}: another change was made at the same time; list the versions and try again.");
        }

        var keys = new HashSet<string>(entry.AppliedKeys, StringComparer.Ordinal);
        keys.Remove(CatalogFields.Transformation);
        keys.Remove(CatalogFields.ValidationRules);
        await _store.UpdateCatalogEntryAsync(entry with
        {
            Metadata = entry.Metadata with { Transformation = target.TransformationSnapshot, ValidationRules = target.ValidationSnapshot },
            AppliedKeys = keys,
            CurrentVersion = number,
            UpdatedAt = now,
        }, ct);
        await ChangedAsync(ct);
        return await StoredVersionAsync(entry.Name, number, ct) ?? restored;
    }

    private static string Join(IReadOnlyList<CatalogVersion> versions) => string.Join(", ", versions.Select(v => v.Version.ToString()));
}
