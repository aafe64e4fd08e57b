using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

// The catalog's entries: registering a feature no view defines, listing, reading and updating metadata.
public sealed partial class FeatureCatalog
{
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

    private static bool IsDefinedFeature(RegistryContents registry, string name) =>
        Core.Model.FeatureReference.TryParse(name, out var reference)
        && registry.Definitions.FindFeatureView(reference.View) is { } view
        && view.Schema.Any(f => f.Name == reference.Feature);

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
}
