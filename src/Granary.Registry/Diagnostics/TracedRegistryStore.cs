using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Registry.Catalog;
using Granary.Registry.Storage;

namespace Granary.Registry.Diagnostics;

/// <summary>
/// Wraps a registry store so that each of its calls is a span of the <c>Granary.Registry</c> activity source
/// (<c>granary.registry.load</c>, <c>.get_version</c>, <c>.apply</c>, the catalog's <c>.query_catalog</c>,
/// <c>.add_version</c>, <c>.record_usage</c>, ...; docs/observability.md lists their attributes). Everything else passes
/// straight through.
/// </summary>
/// <remarks>
/// A decorator, as <c>TracedOnlineStore</c> is for online stores: every registry store gets
/// the same spans, and while nobody listens to the source each call is the inner store's own behind one branch.
/// The database driver's own spans (Npgsql's) nest beneath these. Spans start inside the async methods, so
/// <see cref="Activity.Current"/> is restored for the caller.
/// </remarks>
internal sealed partial class TracedRegistryStore : IRegistryStore
{
    private readonly IRegistryStore _inner;
    private readonly string? _dbSystemName;

    /// <param name="inner">The store whose calls become spans.</param>
    /// <param name="dbSystemName">OpenTelemetry's <c>db.system.name</c> of its database: <c>sqlite</c> or <c>postgresql</c>.</param>
    public TracedRegistryStore(IRegistryStore inner, string? dbSystemName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _dbSystemName = dbSystemName;
    }

    private static bool Listened => RegistryTelemetry.Source.HasListeners();

    /// <inheritdoc />
    public string? FilePath => _inner.FilePath;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        Listened ? InitializeTracedAsync(cancellationToken) : _inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? GetVersionTracedAsync(project, cancellationToken) : _inner.GetVersionAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        Listened ? ListProjectsTracedAsync(cancellationToken) : _inner.ListProjectsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<RegistrySnapshot> LoadAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? LoadTracedAsync(project, cancellationToken) : _inner.LoadAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task<long> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default) =>
        Listened ? ApplyTracedAsync(request, cancellationToken) : _inner.ApplyAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(string project, int limit = 100, CancellationToken cancellationToken = default) =>
        Listened ? GetHistoryTracedAsync(project, limit, cancellationToken) : _inner.GetHistoryAsync(project, limit, cancellationToken);

    /// <inheritdoc />
    public Task SaveDatasetAsync(SavedDataset dataset, CancellationToken cancellationToken = default) =>
        Listened ? SaveDatasetTracedAsync(dataset, cancellationToken) : _inner.SaveDatasetAsync(dataset, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? ListDatasetsTracedAsync(project, cancellationToken) : _inner.ListDatasetsAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Listened ? GetDatasetTracedAsync(project, name, cancellationToken) : _inner.GetDatasetAsync(project, name, cancellationToken);

    /// <inheritdoc />
    public Task<RegistryStamp> GetStampAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? GetStampTracedAsync(project, cancellationToken) : _inner.GetStampAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("query_catalog", project, () => _inner.QueryCatalogAsync(project, query, cancellationToken)) : _inner.QueryCatalogAsync(project, query, cancellationToken);

    /// <inheritdoc />
    public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("get_catalog_entry", project, () => _inner.GetCatalogEntryAsync(project, name, cancellationToken)) : _inner.GetCatalogEntryAsync(project, name, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("create_catalog_entry", entry?.Project, () => _inner.CreateCatalogEntryAsync(entry!, firstVersion, cancellationToken)) : _inner.CreateCatalogEntryAsync(entry, firstVersion, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("update_catalog_entry", entry?.Project, () => _inner.UpdateCatalogEntryAsync(entry!, cancellationToken)) : _inner.UpdateCatalogEntryAsync(entry, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("add_version", version?.Project, () => _inner.AddVersionAsync(version!, cancellationToken)) : _inner.AddVersionAsync(version, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("rollback", restored?.Project, () => _inner.RollbackAsync(restored!, rolledBack, at, cancellationToken)) : _inner.RollbackAsync(restored, rolledBack, at, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("list_versions", project, () => _inner.ListVersionsAsync(project, name, cancellationToken)) : _inner.ListVersionsAsync(project, name, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("list_all_versions", project, () => _inner.ListAllVersionsAsync(project, cancellationToken)) : _inner.ListAllVersionsAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("record_usage", usage is { Count: > 0 } ? usage[0].Project : null, async () => { await _inner.RecordUsageAsync(usage, cancellationToken).ConfigureAwait(false); return true; }) : _inner.RecordUsageAsync(usage, cancellationToken);

    /// <inheritdoc />
    public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("get_usage_statistics", project, () => _inner.GetUsageStatisticsAsync(project, name, cancellationToken)) : _inner.GetUsageStatisticsAsync(project, name, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    // The catalog's calls carry no attributes beyond the common ones, so one helper spans them all.
    private async Task<T> TraceAsync<T>(string operation, string? project, Func<Task<T>> call)
    {
        using var activity = Start(operation, "granary.registry." + operation, project);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task InitializeTracedAsync(CancellationToken cancellationToken)
    {
        using var activity = Start("initialize", "granary.registry.initialize", project: null);
        try
        {
            await _inner.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<long> GetVersionTracedAsync(string project, CancellationToken cancellationToken)
    {
        using var activity = Start("get_version", "granary.registry.get_version", project);
        try
        {
            var version = await _inner.GetVersionAsync(project, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(RegistryTelemetry.Version, version);
            return version;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<RegistryStamp> GetStampTracedAsync(string project, CancellationToken cancellationToken)
    {
        using var activity = Start("get_stamp", "granary.registry.get_stamp", project);
        try
        {
            var stamp = await _inner.GetStampAsync(project, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(RegistryTelemetry.Version, stamp.Version);
            return stamp;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<IReadOnlyList<RegistryProject>> ListProjectsTracedAsync(CancellationToken cancellationToken)
    {
        using var activity = Start("list_projects", "granary.registry.list_projects", project: null);
        try
        {
            return await _inner.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<RegistrySnapshot> LoadTracedAsync(string project, CancellationToken cancellationToken)
    {
        using var activity = Start("load", "granary.registry.load", project);
        try
        {
            var snapshot = await _inner.LoadAsync(project, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(RegistryTelemetry.Version, snapshot.Version);
            activity?.SetTag(RegistryTelemetry.Objects, snapshot.Objects.Count);
            return snapshot;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<long> ApplyTracedAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("apply", "granary.registry.apply", request?.Project);
        activity?.SetTag(RegistryTelemetry.ExpectedVersion, request?.ExpectedVersion);
        try
        {
            var version = await _inner.ApplyAsync(request!, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(RegistryTelemetry.Version, version);
            return version;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<IReadOnlyList<ApplyRecord>> GetHistoryTracedAsync(string project, int limit, CancellationToken cancellationToken)
    {
        using var activity = Start("get_history", "granary.registry.get_history", project);
        try
        {
            return await _inner.GetHistoryAsync(project, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task SaveDatasetTracedAsync(SavedDataset dataset, CancellationToken cancellationToken)
    {
        using var activity = Start("save_dataset", "granary.registry.save_dataset", dataset?.Project);
        activity?.SetTag(RegistryTelemetry.Dataset, dataset?.Name);
        try
        {
            await _inner.SaveDatasetAsync(dataset!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<IReadOnlyList<SavedDataset>> ListDatasetsTracedAsync(string project, CancellationToken cancellationToken)
    {
        using var activity = Start("list_datasets", "granary.registry.list_datasets", project);
        try
        {
            return await _inner.ListDatasetsAsync(project, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<SavedDataset?> GetDatasetTracedAsync(string project, string name, CancellationToken cancellationToken)
    {
        using var activity = Start("get_dataset", "granary.registry.get_dataset", project);
        activity?.SetTag(RegistryTelemetry.Dataset, name);
        try
        {
            return await _inner.GetDatasetAsync(project, name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    // Null when no listener samples it: the call then runs untraced.
    private Activity? Start(string operation, string spanName, string? project)
    {
        var activity = RegistryTelemetry.Source.StartActivity(spanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RegistryTelemetry.DbSystemName, _dbSystemName);
            activity.SetTag(RegistryTelemetry.DbOperationName, operation);
            activity.SetTag(RegistryTelemetry.Project, project);
        }

        return activity;
    }

    // An exception filter, so the span is marked while the stack is still the throw's; never catches.
}
