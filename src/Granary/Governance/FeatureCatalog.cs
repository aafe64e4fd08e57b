using System.Diagnostics.CodeAnalysis;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

/// <summary>
/// The governed catalog of a project's features and views (<c>FeatureStore.Catalog</c>): metadata, lifecycle
/// (<c>draft → active → deprecated → archived</c>), semantic versions with rollback, lineage, impact and usage. The
/// REST API under <c>/api/v1/features</c> and the CLI's <c>granary features</c> are thin layers over it. Every
/// refusal is a <see cref="GranaryException"/>: <c>not_found</c>, <c>already_exists</c>, <c>conflict</c> (a wrong
/// lifecycle state or active dependents, named), <c>unprocessable</c> (version order, a breaking change without a
/// major bump, a cycle) or <c>invalid_argument</c> (naming the field).
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The catalog store is the registry's own; users see only this class.")]
public sealed class FeatureCatalog
{
    private readonly FeatureStore _owner;
    private readonly ICatalogStore _store;
    private readonly string _defaultEnvironment;
    private (RegistryContents Registry, IReadOnlyList<CatalogEntry> Entries, LineageGraph Graph)? _graph;

    internal FeatureCatalog(FeatureStore owner, ICatalogStore store, string defaultEnvironment)
    {
        _owner = owner;
        _store = store;
        _defaultEnvironment = defaultEnvironment;
    }

    private string Project => _owner.Project;

    private DateTimeOffset Now => _owner.Settings.TimeProvider.GetUtcNow();

    /// <summary>Registers a feature no view defines, as a <c>draft</c> at <c>1.0.0</c>.</summary>
    /// <exception cref="GranaryException"><c>already_exists</c> when the name exists (a feature a view defines included); <c>invalid_argument</c>; <c>unprocessable</c> for a cycle.</exception>
    public async Task<CatalogEntry> CreateAsync(CatalogEntryCreate request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = CatalogFields.RequireName(request.Name?.Trim(), "feature_name");
        var metadata = new CatalogMetadata
        {
            Owner = request.Owner?.Trim() ?? "",
            Description = request.Description ?? "",
            Tags = CatalogFields.TagsOf(request.Tags ?? []),
            FeatureType = CatalogFields.FeatureTypeOf(request.FeatureType),
            DataType = CatalogFields.DataTypeOf(request.DataType),
            Transformation = CatalogFields.TransformationOf(request.Transformation),
            ValidationRules = CatalogFields.RulesOf(request.ValidationRules ?? []),
            UpstreamFeatures = CatalogFields.UpstreamOf(request.UpstreamFeatures ?? [], name),
        };

        await _owner.EnsureCatalogCreatedAsync(ct);
        var (registry, _, graph) = await GraphAsync(fresh: true, ct);
        var node = new LineageNode(LineageNodeKind.Feature, name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw graph.UpstreamOf(node).Count > 0 && IsDefinedFeature(registry, name)
                ? new GranaryException(ErrorCodes.AlreadyExists, $"Feature '{name}' already exists: a feature view defines it.")
                : CatalogFields.Invalid("feature_name", $"'{name}' is a view:feature name, which only apply creates; register a bare name such as '{name.Replace(':', '_')}'");
        }

        if (registry.Definitions.FindFeatureView(name) is not null)
        {
            throw new GranaryException(ErrorCodes.AlreadyExists, $"'{name}' already exists: it is a feature view.");
        }

        CheckNoCycle(graph, node, metadata.UpstreamFeatures);
        var now = Now;
        var entry = new CatalogEntry(Project, name, CatalogEntryKind.Feature)
        {
            Metadata = metadata,
            Status = LifecycleStatus.Draft,
            CurrentVersion = SemanticVersion.Initial,
            Defined = false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var first = new CatalogVersion(Project, name, SemanticVersion.Initial)
        {
            Changelog = "created",
            TransformationSnapshot = metadata.Transformation,
            ValidationSnapshot = metadata.ValidationRules,
            CreatedBy = _owner.ChangedBy,
            CreatedAt = now,
        };
        if (!await _store.CreateCatalogEntryAsync(entry, first, ct))
        {
            throw new GranaryException(ErrorCodes.AlreadyExists, $"Feature '{name}' already exists.");
        }

        await ChangedAsync(ct);
        return await GetAsync(name, ct);
    }

    /// <summary>Entries matching the query's filters, ordered by name, one page at a time, and how many match in all.</summary>
    public async Task<CatalogPage> ListAsync(CatalogQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Skip < 0)
        {
            throw CatalogFields.Invalid("skip", $"expected 0 or more, got {query.Skip}");
        }

        if (query.Limit < 1)
        {
            throw CatalogFields.Invalid("limit", $"expected 1 or more, got {query.Limit}");
        }

        var normalized = query with
        {
            FeatureType = CatalogFields.FeatureTypeOf(query.FeatureType),
            Owner = string.IsNullOrWhiteSpace(query.Owner) ? null : query.Owner.Trim(),
            Tags = CatalogFields.TagsOf(query.Tags ?? []),
        };
        if (!await _owner.CatalogExistsAsync(ct))
        {
            return new CatalogPage([], 0);
        }

        return await _store.QueryCatalogAsync(Project, normalized, ct);
    }

    /// <summary>One entry.</summary>
    /// <exception cref="GranaryException"><c>not_found</c>.</exception>
    public async Task<CatalogEntry> GetAsync(string name, CancellationToken ct = default)
    {
        var checkedName = CatalogFields.RequireName(name, "feature_name");
        return await FindAsync(checkedName, ct) ?? throw NotFound(checkedName);
    }

    /// <summary>
    /// Changes the fields the update sets; the API owns each of them from then on (apply no longer changes them). A
    /// status follows the lifecycle's rules. Adds no version.
    /// </summary>
    public async Task<CatalogEntry> UpdateAsync(string name, CatalogEntryUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var entry = await GetAsync(name, ct);
        var metadata = entry.Metadata;
        var keys = new HashSet<string>(entry.AppliedKeys, StringComparer.Ordinal);
        if (update.Owner is { } owner)
        {
            metadata = metadata with { Owner = owner.Trim() };
            keys.Remove(CatalogFields.Owner);
        }

        if (update.Description is { } description)
        {
            metadata = metadata with { Description = description };
            keys.Remove(CatalogFields.Description);
        }

        if (update.Tags is { } tags)
        {
            metadata = metadata with { Tags = CatalogFields.TagsOf(tags) };
            keys.Remove(CatalogFields.Tags);
        }

        if (update.FeatureType is { } featureType)
        {
            metadata = metadata with { FeatureType = CatalogFields.FeatureTypeOf(featureType) };
            keys.Remove(CatalogFields.FeatureType);
        }

        if (update.DataType is { } dataType)
        {
            metadata = metadata with { DataType = CatalogFields.DataTypeOf(dataType) };
            keys.Remove(CatalogFields.DataType);
        }

        if (update.Transformation is { } transformation)
        {
            metadata = metadata with { Transformation = CatalogFields.TransformationOf(transformation) };
            keys.Remove(CatalogFields.Transformation);
        }

        if (update.ValidationRules is { } rules)
        {
            metadata = metadata with { ValidationRules = CatalogFields.RulesOf(rules) };
            keys.Remove(CatalogFields.ValidationRules);
        }

        var (registry, entries, graph) = await GraphAsync(fresh: true, ct);
        if (update.UpstreamFeatures is { } upstream)
        {
            var checkedUpstream = CatalogFields.UpstreamOf(upstream, entry.Name);
            CheckNoCycle(GraphWithout(registry, graph, entries, entry), NodeOf(entry), checkedUpstream);
            metadata = metadata with { UpstreamFeatures = checkedUpstream };
            keys.Remove(CatalogFields.UpstreamFeatures);
        }

        var now = Now;
        var changed = entry with { Metadata = metadata, AppliedKeys = keys, UpdatedAt = now };
        if (update.Status is { } status && status != entry.Status)
        {
            changed = status switch
            {
                LifecycleStatus.Active => Activated(changed),
                LifecycleStatus.Deprecated => Deprecated(changed, "deprecate", graph, entries, now),
                LifecycleStatus.Archived => Archived(changed, graph, entries),
                _ => throw new GranaryException(ErrorCodes.Conflict, $"'{entry.Name}' is {entry.Status.Key()}; an entry never returns to draft."),
            };
        }

        return await SaveAsync(changed, ct);
    }

    /// <summary>Soft delete: a draft or active entry becomes deprecated (history and usage kept).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or when it is already deprecated or archived.</exception>
    public async Task<CatalogEntry> DeleteAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        if (entry.Status is not (LifecycleStatus.Draft or LifecycleStatus.Active))
        {
            throw WrongState(entry, "delete", "a draft or active");
        }

        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        var now = Now;
        return await SaveAsync(Deprecated(entry with { UpdatedAt = now }, "delete", graph, entries, now, fromDraft: true), ct);
    }

    /// <summary>A draft or deprecated entry becomes active.</summary>
    public async Task<CatalogEntry> ActivateAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        return await SaveAsync(Activated(entry with { UpdatedAt = Now }), ct);
    }

    /// <summary>An active entry becomes deprecated (serving it still works, with a warning).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or for an entry that is not active.</exception>
    public async Task<CatalogEntry> DeprecateAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        var now = Now;
        return await SaveAsync(Deprecated(entry with { UpdatedAt = now }, "deprecate", graph, entries, now), ct);
    }

    /// <summary>A deprecated entry becomes archived (serving it is refused).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or for an entry that is not deprecated.</exception>
    public async Task<CatalogEntry> ArchiveAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        return await SaveAsync(Archived(entry with { UpdatedAt = Now }, graph, entries), ct);
    }

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

    /// <summary>
    /// What the entry is computed from and what is computed from it, directly, and with <paramref name="recursive"/>
    /// transitively. A feature a view defines has lineage before the catalog has its entry.
    /// </summary>
    public async Task<FeatureLineage> GetLineageAsync(string name, bool recursive, CancellationToken ct = default)
    {
        var checkedName = CatalogFields.RequireName(name, "feature_name");
        var entry = await FindAsync(checkedName, ct);
        var (_, _, graph) = await GraphAsync(fresh: false, ct);
        var node = entry is null ? graph.NodeOf(checkedName) : NodeOf(entry);
        if (entry is null && (!graph.Contains(node) || graph.UpstreamOf(node).Count == 0 && node.Kind == LineageNodeKind.Feature))
        {
            throw NotFound(checkedName);
        }

        var upstream = graph.UpstreamOf(node);
        var downstream = graph.DownstreamOf(node);
        var allDownstream = graph.AllDownstreamOf(node);
        return new FeatureLineage(checkedName, entry?.CurrentVersion ?? SemanticVersion.Initial)
        {
            UpstreamFeatures = CatalogNames(upstream),
            DownstreamFeatures = CatalogNames(downstream),
            AllUpstream = recursive ? CatalogNames(graph.AllUpstreamOf(node)) : [],
            AllDownstream = recursive ? CatalogNames(allDownstream) : [],
            DirectDependentsCount = downstream.Count,
            TotalDependentsCount = allDownstream.Count,
            Upstream = upstream,
            Downstream = downstream,
        };
    }

    /// <summary>The feature services that serve the entry (directly or through what is computed from it) and the models its usage (and theirs) names.</summary>
    public async Task<FeatureImpact> GetImpactAsync(string name, CancellationToken ct = default)
    {
        var lineage = await GetLineageAsync(name, recursive: true, ct);
        var (_, _, graph) = await GraphAsync(fresh: false, ct);
        var services = new SortedSet<string>(StringComparer.Ordinal);
        var models = new SortedSet<string>(StringComparer.Ordinal);
        var affected = new List<string> { lineage.FeatureName };
        foreach (var node in graph.AllDownstreamOf(graph.NodeOf(lineage.FeatureName)))
        {
            if (node.Kind == LineageNodeKind.FeatureService)
            {
                services.Add(node.Name);
            }
            else if (node.Kind is LineageNodeKind.Feature or LineageNodeKind.FeatureView)
            {
                affected.Add(node.Name);
            }
        }

        if (await _owner.CatalogExistsAsync(ct))
        {
            foreach (var feature in affected)
            {
                models.UnionWith((await _store.GetUsageStatisticsAsync(Project, feature, ct)).Models);
            }
        }

        return new FeatureImpact([.. services], [.. models]);
    }

    /// <summary>Records one use at once (<c>POST /api/v1/features/usage</c>); the version defaults to the entry's current one.</summary>
    public async Task<FeatureUsage> RecordUsageAsync(FeatureUsageRecord usage, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (string.IsNullOrWhiteSpace(usage.UsedByModel))
        {
            throw CatalogFields.Invalid("used_by_model", "expected the model's name");
        }

        CheckFinite(usage.FeatureImportance, "feature_importance");
        CheckFinite(usage.CorrelationWithTarget, "correlation_with_target");
        if (usage.CorrelationWithTarget is < -1 or > 1)
        {
            throw CatalogFields.Invalid("correlation_with_target", $"expected a value from -1 to 1, got {usage.CorrelationWithTarget}");
        }

        CheckFinite(usage.ExecutionDurationMs, "execution_duration_ms");
        if (usage.ExecutionDurationMs < 0)
        {
            throw CatalogFields.Invalid("execution_duration_ms", $"expected 0 or more, got {usage.ExecutionDurationMs}");
        }

        var environment = CatalogFields.EnvironmentOf(usage.Environment ?? _defaultEnvironment);
        var entry = await GetAsync(usage.FeatureName, ct);
        var version = entry.CurrentVersion;
        if (usage.FeatureVersion is { } text)
        {
            if (!SemanticVersion.TryParse(text, out version))
            {
                throw CatalogFields.Invalid("feature_version", $"'{text}' is not a version; expected MAJOR.MINOR.PATCH such as 1.2.0");
            }

            if (FindVersion(await _store.ListVersionsAsync(Project, entry.Name, ct), version) is null)
            {
                throw new GranaryException(ErrorCodes.NotFound, $"feature_version: '{entry.Name}' has no version {version}.");
            }
        }

        var row = new FeatureUsage(Project, entry.Name, version.ToString(), usage.UsedByModel.Trim(), environment, (usage.UsageTimestamp ?? Now).ToUniversalTime())
        {
            ModelVersion = usage.ModelVersion,
            FeatureImportance = usage.FeatureImportance,
            CorrelationWithTarget = usage.CorrelationWithTarget,
            ExecutionId = usage.ExecutionId,
            ExecutionDurationMs = usage.ExecutionDurationMs,
        };
        await _store.RecordUsageAsync([row], ct);
        return row;
    }

    /// <summary>What the entry's usage adds up to: total uses, distinct models and environments, mean importance and correlation, last use.</summary>
    public async Task<FeatureUsageStatistics> GetStatisticsAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        return await _store.GetUsageStatisticsAsync(Project, entry.Name, ct);
    }

    /// <summary>The whole project's lineage (what <c>granary lineage export</c> writes as OpenLineage events).</summary>
    public async Task<LineageGraph> GetLineageGraphAsync(CancellationToken ct = default) => (await GraphAsync(fresh: false, ct)).Graph;

    private static LineageNode NodeOf(CatalogEntry entry) =>
        new(entry.Kind == CatalogEntryKind.View ? LineageNodeKind.FeatureView : LineageNodeKind.Feature, entry.Name);

    private static List<string> CatalogNames(IReadOnlyList<LineageNode> nodes)
    {
        var names = new List<string>(nodes.Count);
        foreach (var node in nodes)
        {
            if (node.Kind is LineageNodeKind.Feature or LineageNodeKind.FeatureView)
            {
                names.Add(node.Name);
            }
        }

        return names;
    }

    private static bool IsDefinedFeature(RegistryContents registry, string name) =>
        Core.Model.FeatureReference.TryParse(name, out var reference)
        && registry.Definitions.FindFeatureView(reference.View) is { } view
        && view.Schema.Any(f => f.Name == reference.Feature);

    private static CatalogVersion? FindVersion(IReadOnlyList<CatalogVersion> versions, SemanticVersion version)
    {
        foreach (var v in versions)
        {
            if (v.Version == version)
            {
                return v;
            }
        }

        return null;
    }

    private static string Join(IReadOnlyList<CatalogVersion> versions) => string.Join(", ", versions.Select(v => v.Version.ToString()));

    private static void CheckFinite(double? value, string field)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw CatalogFields.Invalid(field, "expected a finite number");
        }
    }

    private static void CheckNoCycle(LineageGraph graph, LineageNode node, IReadOnlyList<string> upstream)
    {
        foreach (var name in upstream)
        {
            var cycle = graph.CycleIfAdded(graph.NodeOf(name), node);
            if (cycle is not null)
            {
                throw new GranaryException(ErrorCodes.Unprocessable,
                    $"upstream_features: '{name}' would close a cycle: {string.Join(" → ", cycle.Select(n => n.Name))}.");
            }
        }
    }

    /// <summary>The graph without the entry's own upstream edges: an update replaces them.</summary>
    private static LineageGraph GraphWithout(RegistryContents registry, LineageGraph graph, IReadOnlyList<CatalogEntry> entries, CatalogEntry entry)
    {
        if (entry.Metadata.UpstreamFeatures.Count == 0)
        {
            return graph;
        }

        var others = new List<CatalogEntry>(entries.Count);
        foreach (var e in entries)
        {
            others.Add(e.Name == entry.Name ? e with { Metadata = e.Metadata with { UpstreamFeatures = [] } } : e);
        }

        return LineageGraph.Build(graph.Project, registry.Definitions, others);
    }

    private static CatalogEntry Activated(CatalogEntry entry) =>
        entry.Status is LifecycleStatus.Draft or LifecycleStatus.Deprecated
            ? entry with { Status = LifecycleStatus.Active, DeprecatedAt = null }
            : throw WrongState(entry, "activate", "a draft or deprecated");

    private static CatalogEntry Deprecated(CatalogEntry entry, string action, LineageGraph graph, IReadOnlyList<CatalogEntry> entries, DateTimeOffset now, bool fromDraft = false)
    {
        if (!(entry.Status == LifecycleStatus.Active || (fromDraft && entry.Status == LifecycleStatus.Draft)))
        {
            throw WrongState(entry, action, fromDraft ? "a draft or active" : "an active");
        }

        CheckNoActiveDependents(entry, action, graph, entries);
        return entry with { Status = LifecycleStatus.Deprecated, DeprecatedAt = now };
    }

    private static CatalogEntry Archived(CatalogEntry entry, LineageGraph graph, IReadOnlyList<CatalogEntry> entries)
    {
        if (entry.Status != LifecycleStatus.Deprecated)
        {
            throw WrongState(entry, "archive", "a deprecated");
        }

        CheckNoActiveDependents(entry, "archive", graph, entries);
        return entry with { Status = LifecycleStatus.Archived };
    }

    private static void CheckNoActiveDependents(CatalogEntry entry, string action, LineageGraph graph, IReadOnlyList<CatalogEntry> entries)
    {
        var byNode = new Dictionary<LineageNode, CatalogEntry>();
        foreach (var e in entries)
        {
            byNode[NodeOf(e)] = e;
        }

        var active = new List<string>();
        foreach (var node in graph.AllDownstreamOf(NodeOf(entry)))
        {
            var isActive = node.Kind switch
            {
                LineageNodeKind.FeatureService => true,
                LineageNodeKind.DataSource => false,
                // A view or a feature of one with no entry yet is as apply makes it: active.
                _ => byNode.TryGetValue(node, out var dependent) ? dependent.Status == LifecycleStatus.Active : graph.UpstreamOf(node).Count > 0 && IsDefinedNode(graph, node),
            };
            if (isActive && node != NodeOf(entry))
            {
                active.Add($"{node.Kind.Key()} '{node.Name}'");
            }
        }

        if (active.Count > 0)
        {
            throw new GranaryException(ErrorCodes.Conflict,
                $"Cannot {action} '{entry.Name}': active dependents use it: {string.Join(", ", active)}. Deprecate them first, or change them to stop using it.");
        }
    }

    // A node the definitions make: a view fed by a source, or a feature fed by its view.
    private static bool IsDefinedNode(LineageGraph graph, LineageNode node)
    {
        foreach (var upstream in graph.UpstreamOf(node))
        {
            if ((node.Kind == LineageNodeKind.FeatureView && upstream.Kind == LineageNodeKind.DataSource)
                || (node.Kind == LineageNodeKind.Feature && upstream.Kind == LineageNodeKind.FeatureView && node.Name.StartsWith(upstream.Name + ":", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static GranaryException WrongState(CatalogEntry entry, string action, string expected) =>
        new(ErrorCodes.Conflict, $"Cannot {action} '{entry.Name}': it is {entry.Status.Key()}; only {expected} entry can be {Past(action)}.");

    private static string Past(string action) => action switch
    {
        "activate" => "activated",
        "deprecate" => "deprecated",
        "archive" => "archived",
        "delete" => "deleted",
        _ => action,
    };

    private GranaryException NotFound(string name) =>
        new(ErrorCodes.NotFound, $"Feature '{name}' is not in the catalog of project '{Project}'.");

    private async Task<CatalogEntry?> FindAsync(string name, CancellationToken ct) =>
        await _owner.CatalogExistsAsync(ct) ? await _store.GetCatalogEntryAsync(Project, name, ct) : null;

    private async Task<CatalogVersion?> StoredVersionAsync(string name, SemanticVersion version, CancellationToken ct) =>
        FindVersion(await _store.ListVersionsAsync(Project, name, ct), version);

    private async Task<CatalogEntry> SaveAsync(CatalogEntry entry, CancellationToken ct)
    {
        if (!await _store.UpdateCatalogEntryAsync(entry, ct))
        {
            throw NotFound(entry.Name);
        }

        await ChangedAsync(ct);
        return await GetAsync(entry.Name, ct);
    }

    private async Task ChangedAsync(CancellationToken ct)
    {
        _graph = null;
        await _owner.RefreshRegistryQuietlyAsync(ct);
    }

    /// <summary>The lineage of the registry readers see and the catalog; <paramref name="fresh"/> reads the catalog again (for checks before a write).</summary>
    private async Task<(RegistryContents Registry, IReadOnlyList<CatalogEntry> Entries, LineageGraph Graph)> GraphAsync(bool fresh, CancellationToken ct)
    {
        var registry = await _owner.GetRegistryAsync(ct);
        if (!fresh && _graph is { } cached && ReferenceEquals(cached.Registry, registry))
        {
            return cached;
        }

        IReadOnlyList<CatalogEntry> entries = await _owner.CatalogExistsAsync(ct)
            ? (await _store.QueryCatalogAsync(Project, new CatalogQuery { Limit = int.MaxValue }, ct)).Entries
            : [];
        var built = (registry, entries, LineageGraph.Build(Project, registry.Definitions, entries));
        _graph = built;
        return built;
    }
}
