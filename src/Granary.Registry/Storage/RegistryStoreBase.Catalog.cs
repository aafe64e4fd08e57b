using System.Data.Common;
using System.Globalization;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Catalog;

namespace Granary.Registry.Storage;

/// <summary>The governed catalog's half of a registry store: entries, versions and usage, SQL shared by every database.</summary>
/// <remarks>
/// Writes lock rows in one order, entry before version before stamp (a no-op <c>UPDATE</c> takes the entry's lock
/// where the write would otherwise start with the version), and several entries in ordinal name order, so concurrent
/// writers on PostgreSQL queue instead of deadlocking. SQLite's <c>BEGIN IMMEDIATE</c> serializes writers anyway.
/// </remarks>
internal abstract partial class RegistryStoreBase
{
    private const string EntryColumns = """
        name, kind, status, owner, feature_type, current_version, metadata, applied_keys, defined, usage_count,
        last_used_at, created_at, updated_at, deprecated_at
        """;

    private const string VersionColumns = """
        name, version, details, definition_snapshot, registry_version, promoted, created_by, created_at, is_rolled_back,
        rolled_back_at, restored_from
        """;

    private const string InsertEntrySql = $"""
        INSERT INTO granary_catalog_entries (project, {EntryColumns})
        VALUES (@project, @name, @kind, @status, @owner, @feature_type, @current_version, @metadata, @applied_keys, @defined,
                @usage_count, @last_used_at, @created_at, @updated_at, @deprecated_at)
        ON CONFLICT (project, name) DO NOTHING
        """;

    // What apply writes: the entry as it becomes, except the usage counters, which only usage records move.
    private const string UpsertEntrySql = $"""
        INSERT INTO granary_catalog_entries (project, {EntryColumns})
        VALUES (@project, @name, @kind, @status, @owner, @feature_type, @current_version, @metadata, @applied_keys, @defined,
                @usage_count, @last_used_at, @created_at, @updated_at, @deprecated_at)
        ON CONFLICT (project, name) DO UPDATE SET
            kind = excluded.kind, status = excluded.status, owner = excluded.owner, feature_type = excluded.feature_type,
            current_version = excluded.current_version, metadata = excluded.metadata, applied_keys = excluded.applied_keys,
            defined = excluded.defined, created_at = excluded.created_at, updated_at = excluded.updated_at,
            deprecated_at = excluded.deprecated_at
        """;

    private const string UpdateEntrySql = """
        UPDATE granary_catalog_entries SET
            status = @status, owner = @owner, feature_type = @feature_type, metadata = @metadata,
            applied_keys = @applied_keys, defined = @defined, created_at = @created_at, updated_at = @updated_at,
            deprecated_at = @deprecated_at
        WHERE project = @project AND name = @name
        """;

    // Changes nothing but takes the entry's row lock (PostgreSQL) and says whether it exists.
    private const string LockEntrySql = "UPDATE granary_catalog_entries SET name = name WHERE project = @project AND name = @name";

    private const string MoveCurrentSql = """
        UPDATE granary_catalog_entries SET current_version = @version, updated_at = @at WHERE project = @project AND name = @name
        """;

    private const string InsertVersionSql = """
        INSERT INTO granary_catalog_versions
            (project, name, version, major, minor, patch, details, definition_snapshot, registry_version, promoted,
             created_by, created_at, is_rolled_back, rolled_back_at, restored_from)
        VALUES (@project, @name, @version, @major, @minor, @patch, @details, @definition_snapshot, @registry_version, @promoted,
                @created_by, @created_at, @is_rolled_back, @rolled_back_at, @restored_from)
        ON CONFLICT (project, name, version) DO NOTHING
        """;

    // The version an entry is current at has been promoted: a later apply that moves current onto a staged version
    // (apply --no-promote, then a plain apply) promotes it.
    private const string PromoteCurrentSql = """
        UPDATE granary_catalog_versions SET promoted = true
        WHERE project = @project AND name = @name AND version = @version AND promoted = false
        """;

    private const string MarkRolledBackSql = """
        UPDATE granary_catalog_versions SET is_rolled_back = true, rolled_back_at = @at
        WHERE project = @project AND name = @name AND version = @version
        """;

    private const string BumpCatalogStampSql = """
        INSERT INTO granary_catalog_stamps (project, stamp) VALUES (@project, 1)
        ON CONFLICT (project) DO UPDATE SET stamp = granary_catalog_stamps.stamp + 1
        """;

    private const string SelectCatalogStampSql = "SELECT stamp FROM granary_catalog_stamps WHERE project = @project";

    private const string SelectStampSql = """
        SELECT (SELECT version FROM granary_registry_projects WHERE project = @project),
               (SELECT stamp FROM granary_catalog_stamps WHERE project = @project)
        """;

    private const string SelectEntriesSql = $"SELECT {EntryColumns} FROM granary_catalog_entries WHERE project = @project";

    private const string SelectEntrySql = $"SELECT {EntryColumns} FROM granary_catalog_entries WHERE project = @project AND name = @name";

    private const string SelectAllVersionsSql = $"SELECT {VersionColumns} FROM granary_catalog_versions WHERE project = @project";

    private const string SelectVersionsSql = $"SELECT {VersionColumns} FROM granary_catalog_versions WHERE project = @project AND name = @name";

    private const string UsageColumns = """
        project, feature_name, feature_version, used_by_model, model_version, environment, feature_importance,
        correlation_with_target, usage_timestamp, execution_id, execution_duration_ms, use_count
        """;

    private const int UsageColumnCount = 12;

    // Rows per INSERT: 2,400 parameters, well inside SQLite's and PostgreSQL's limits.
    private const int UsageRowsPerInsert = 200;

    private const string AddUsageSql = """
        UPDATE granary_catalog_entries SET
            usage_count = usage_count + @count,
            last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < @at THEN @at ELSE last_used_at END
        WHERE project = @project AND name = @name
        """;

    private const string UsageTotalsSql = """
        SELECT COALESCE(SUM(use_count), 0), COUNT(DISTINCT used_by_model), AVG(feature_importance),
               AVG(correlation_with_target), MAX(usage_timestamp)
        FROM granary_catalog_usage WHERE project = @project AND feature_name = @name
        """;

    private const string UsageEnvironmentsSql = "SELECT DISTINCT environment FROM granary_catalog_usage WHERE project = @project AND feature_name = @name";

    private const string UsageModelsSql = "SELECT DISTINCT used_by_model FROM granary_catalog_usage WHERE project = @project AND feature_name = @name";

    /// <inheritdoc />
    public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) =>
        GuardAsync(QueryCatalogAsyncCore(project, query, cancellationToken));

    /// <inheritdoc />
    public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) =>
        GuardAsync(GetCatalogEntryAsyncCore(project, name, cancellationToken));

    /// <inheritdoc />
    public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) =>
        GuardAsync(CreateCatalogEntryAsyncCore(entry, firstVersion, cancellationToken));

    /// <inheritdoc />
    public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) =>
        GuardAsync(UpdateCatalogEntryAsyncCore(entry, cancellationToken));

    /// <inheritdoc />
    public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) =>
        GuardAsync(AddVersionAsyncCore(version, cancellationToken));

    /// <inheritdoc />
    public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        GuardAsync(RollbackAsyncCore(restored, rolledBack, at, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) =>
        GuardAsync(ListVersionsAsyncCore(project, name, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) =>
        GuardAsync(ListAllVersionsAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default) =>
        GuardAsync(RecordUsageAsyncCore(usage, cancellationToken));

    /// <inheritdoc />
    public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) =>
        GuardAsync(GetUsageStatisticsAsyncCore(project, name, cancellationToken));

    private async Task<RegistryStamp> GetStampAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectStampSql);
        AddParameter(command, "@project", project);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RegistryStamp(
            reader.IsDBNull(0) ? 0 : Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? 0 : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    private async Task<CatalogPage> QueryCatalogAsyncCore(string project, CatalogQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Tags, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit, nameof(query));

        var where = new StringBuilder("WHERE project = @project");
        if (query.Kind is not null)
        {
            where.Append(" AND kind = @kind");
        }

        if (query.FeatureType is not null)
        {
            where.Append(" AND feature_type = @feature_type");
        }

        if (query.Status is not null)
        {
            where.Append(" AND status = @status");
        }

        if (query.Owner is not null)
        {
            where.Append(" AND owner = @owner");
        }

        void Bind(DbCommand command)
        {
            AddParameter(command, "@project", project);
            if (query.Kind is { } kind)
            {
                AddParameter(command, "@kind", KindKey(kind));
            }

            if (query.FeatureType is { } featureType)
            {
                AddParameter(command, "@feature_type", featureType);
            }

            if (query.Status is { } status)
            {
                AddParameter(command, "@status", status.Key());
            }

            if (query.Owner is { } owner)
            {
                AddParameter(command, "@owner", owner);
            }
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        var order = $" ORDER BY name{OrdinalCollation}";
        CatalogPage page;
        if (query.Tags.Count == 0)
        {
            int total;
            await using (var count = CreateCommand(transaction, $"SELECT COUNT(*) FROM granary_catalog_entries {where}"))
            {
                Bind(count);
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            var entries = await ReadEntriesAsync(
                transaction,
                $"SELECT {EntryColumns} FROM granary_catalog_entries {where}{order} LIMIT @limit OFFSET @skip",
                project,
                command =>
                {
                    Bind(command);
                    AddParameter(command, "@limit", query.Limit);
                    AddParameter(command, "@skip", query.Skip);
                },
                cancellationToken,
                bindProject: false);
            page = new CatalogPage(entries, total);
        }
        else
        {
            // Tags live in the metadata JSON, whose querying differs between the databases: every other filter runs in
            // SQL, the tags here, and the page is cut after them so the total counts what matches them all.
            var candidates = await ReadEntriesAsync(transaction, $"SELECT {EntryColumns} FROM granary_catalog_entries {where}{order}", project, Bind, cancellationToken, bindProject: false);
            var matching = new List<CatalogEntry>();
            foreach (var entry in candidates)
            {
                if (HasAllTags(entry.Metadata.Tags, query.Tags))
                {
                    matching.Add(entry);
                }
            }

            page = new CatalogPage([.. matching.Skip(query.Skip).Take(query.Limit)], matching.Count);
        }

        await transaction.CommitAsync(cancellationToken);
        return page;
    }

    private async Task<CatalogEntry?> GetCatalogEntryAsyncCore(string project, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        var found = await ReadEntriesAsync(transaction, SelectEntrySql, project, command => AddParameter(command, "@name", name), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private async Task<bool> CreateCatalogEntryAsyncCore(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken)
    {
        Validate(entry);
        ValidateVersionOf(entry, firstVersion);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        var current = firstVersion.Promoted ? firstVersion.Version : entry.CurrentVersion;
        await using (var command = CreateCommand(transaction, InsertEntrySql))
        {
            BindEntry(command, entry with { CurrentVersion = current });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        if (!await InsertVersionAsync(transaction, firstVersion, cancellationToken))
        {
            // A version row left behind without its entry; the entry is new, so refuse rather than adopt it.
            return false;
        }

        await BumpCatalogStampAsync(transaction, entry.Project, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<bool> UpdateCatalogEntryAsyncCore(CatalogEntry entry, CancellationToken cancellationToken)
    {
        Validate(entry);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await using (var command = CreateCommand(transaction, UpdateEntrySql))
        {
            BindEntry(command, entry);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await BumpCatalogStampAsync(transaction, entry.Project, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<bool> AddVersionAsyncCore(CatalogVersion version, CancellationToken cancellationToken)
    {
        Validate(version);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await LockExistingEntryAsync(transaction, version.Project, version.Name, cancellationToken);
        if (!await InsertVersionAsync(transaction, version, cancellationToken))
        {
            return false;
        }

        if (version.Promoted)
        {
            await MoveCurrentAsync(transaction, version, cancellationToken);
        }

        await BumpCatalogStampAsync(transaction, version.Project, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<bool> RollbackAsyncCore(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Validate(restored);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await LockExistingEntryAsync(transaction, restored.Project, restored.Name, cancellationToken);
        if (!await InsertVersionAsync(transaction, restored, cancellationToken))
        {
            return false;
        }

        await MoveCurrentAsync(transaction, restored, cancellationToken);
        await using (var command = CreateCommand(transaction, MarkRolledBackSql))
        {
            AddParameter(command, "@project", restored.Project);
            AddParameter(command, "@name", restored.Name);
            AddParameter(command, "@version", rolledBack.ToString());
            AddParameter(command, "@at", ToDbTimestamp(ToUtcMicroseconds(at)));
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new GranaryException(
                    ErrorCodes.NotFound,
                    $"Catalog entry '{restored.Name}' of project '{restored.Project}' has no version {rolledBack} to roll back; nothing was written.");
            }
        }

        await BumpCatalogStampAsync(transaction, restored.Project, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<CatalogVersion>> ListVersionsAsyncCore(string project, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        var versions = await ReadVersionsAsync(transaction, SelectVersionsSql, project, command => AddParameter(command, "@name", name), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        versions.Sort(CompareByNameThenNewest);
        return versions;
    }

    private async Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        var versions = await ReadVersionsAsync(transaction, SelectAllVersionsSql, project, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        versions.Sort(CompareByNameThenNewest);
        return versions;
    }

    private async Task RecordUsageAsyncCore(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        foreach (var use in usage)
        {
            Validate(use);
        }

        if (usage.Count == 0)
        {
            return;
        }

        // What each entry's counters move by, applied in ordinal name order (the lock order of every catalog write).
        var totals = new SortedDictionary<(string Project, string Name), (long Count, DateTimeOffset Last)>(EntryKeyComparer.Instance);
        foreach (var use in usage)
        {
            var at = ToUtcMicroseconds(use.UsageTimestamp);
            var key = (use.Project, use.FeatureName);
            totals[key] = totals.TryGetValue(key, out var total)
                ? (total.Count + use.Count, at > total.Last ? at : total.Last)
                : (use.Count, at);
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        for (var start = 0; start < usage.Count; start += UsageRowsPerInsert)
        {
            var rows = Math.Min(UsageRowsPerInsert, usage.Count - start);
            await using var command = CreateCommand(transaction, UsageInsertSql(rows));
            for (var row = 0; row < rows; row++)
            {
                var use = usage[start + row];
                var p = row * UsageColumnCount;
                AddParameter(command, $"@p{p}", use.Project);
                AddParameter(command, $"@p{p + 1}", use.FeatureName);
                AddParameter(command, $"@p{p + 2}", use.FeatureVersion);
                AddParameter(command, $"@p{p + 3}", use.UsedByModel);
                AddParameter(command, $"@p{p + 4}", use.ModelVersion);
                AddParameter(command, $"@p{p + 5}", use.Environment);
                AddDoubleParameter(command, $"@p{p + 6}", use.FeatureImportance);
                AddDoubleParameter(command, $"@p{p + 7}", use.CorrelationWithTarget);
                AddParameter(command, $"@p{p + 8}", ToDbTimestamp(ToUtcMicroseconds(use.UsageTimestamp)));
                AddParameter(command, $"@p{p + 9}", use.ExecutionId);
                AddDoubleParameter(command, $"@p{p + 10}", use.ExecutionDurationMs);
                AddParameter(command, $"@p{p + 11}", use.Count);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = CreateCommand(transaction, AddUsageSql))
        {
            var project = AddParameter(command, "@project", null);
            var name = AddParameter(command, "@name", null);
            var count = AddParameter(command, "@count", null);
            var at = AddParameter(command, "@at", null);
            foreach (var ((entryProject, entryName), (total, last)) in totals)
            {
                // One prepared shape, reused with new values for each entry. A use of a name the catalog does not
                // hold (yet) is kept in the usage rows and moves no counter.
                project.Value = entryProject;
                name.Value = entryName;
                count.Value = total;
                at.Value = ToDbTimestamp(last);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Usage moves no catalog stamp: readers need not reload their snapshot for a counter.
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<FeatureUsageStatistics> GetUsageStatisticsAsyncCore(string project, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        FeatureUsageStatistics statistics;
        await using (var command = CreateCommand(transaction, UsageTotalsSql))
        {
            AddParameter(command, "@project", project);
            AddParameter(command, "@name", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            statistics = new FeatureUsageStatistics(name)
            {
                TotalUsage = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                UniqueModels = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                AvgImportance = reader.IsDBNull(2) ? null : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture),
                AvgCorrelation = reader.IsDBNull(3) ? null : Convert.ToDouble(reader.GetValue(3), CultureInfo.InvariantCulture),
                LastUsedAt = reader.IsDBNull(4) ? null : ReadTimestamp(reader, 4),
            };
        }

        var environments = await ReadDistinctAsync(transaction, UsageEnvironmentsSql, project, name, cancellationToken);
        var models = await ReadDistinctAsync(transaction, UsageModelsSql, project, name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return statistics with { Environments = environments, Models = models };
    }

    /// <summary>Writes an apply's catalog: entries upserted in name order, each new version inserted, the stamp moved.</summary>
    private async Task WriteCatalogAsync(DbTransaction transaction, ApplyRequest request, CancellationToken cancellationToken)
    {
        if (request.Catalog.Count == 0)
        {
            return;
        }

        var writes = request.Catalog.ToArray();
        Array.Sort(writes, static (x, y) => string.CompareOrdinal(x.Entry.Name, y.Entry.Name));
        foreach (var write in writes)
        {
            await using (var command = CreateCommand(transaction, UpsertEntrySql))
            {
                BindEntry(command, write.Entry);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            if (write.NewVersion is { } version && !await InsertVersionAsync(transaction, version, cancellationToken))
            {
                throw new GranaryException(
                    ErrorCodes.RegistryConflict,
                    $"Catalog entry '{version.Name}' of project '{request.Project}' already has version {version.Version}; another writer added it since the plan was made, so nothing was written. Re-run plan, review it and apply again.");
            }

            await using (var command = CreateCommand(transaction, PromoteCurrentSql))
            {
                AddParameter(command, "@project", request.Project);
                AddParameter(command, "@name", write.Entry.Name);
                AddParameter(command, "@version", write.Entry.CurrentVersion.ToString());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await BumpCatalogStampAsync(transaction, request.Project, cancellationToken);
    }

    private static async Task LockExistingEntryAsync(DbTransaction transaction, string project, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, LockEntrySql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@name", name);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"Catalog entry '{name}' does not exist in project '{project}'; nothing was written.");
        }
    }

    private async Task<bool> InsertVersionAsync(DbTransaction transaction, CatalogVersion version, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, InsertVersionSql);
        AddParameter(command, "@project", version.Project);
        AddParameter(command, "@name", version.Name);
        AddParameter(command, "@version", version.Version.ToString());
        AddParameter(command, "@major", version.Version.Major);
        AddParameter(command, "@minor", version.Version.Minor);
        AddParameter(command, "@patch", version.Version.Patch);
        SetJsonType(AddParameter(command, "@details", CatalogJson.SerializeDetails(version)));
        AddParameter(command, "@definition_snapshot", version.DefinitionSnapshot);
        AddParameter(command, "@registry_version", version.RegistryVersion);
        AddParameter(command, "@promoted", version.Promoted);
        AddParameter(command, "@created_by", version.CreatedBy);
        AddParameter(command, "@created_at", ToDbTimestamp(ToUtcMicroseconds(version.CreatedAt)));
        AddParameter(command, "@is_rolled_back", version.IsRolledBack);
        AddParameter(command, "@rolled_back_at", version.RolledBackAt is { } rolledBackAt ? ToDbTimestamp(ToUtcMicroseconds(rolledBackAt)) : null);
        AddParameter(command, "@restored_from", version.RestoredFrom?.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task MoveCurrentAsync(DbTransaction transaction, CatalogVersion version, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, MoveCurrentSql);
        AddParameter(command, "@project", version.Project);
        AddParameter(command, "@name", version.Name);
        AddParameter(command, "@version", version.Version.ToString());
        AddParameter(command, "@at", ToDbTimestamp(ToUtcMicroseconds(version.CreatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task BumpCatalogStampAsync(DbTransaction transaction, string project, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, BumpCatalogStampSql);
        AddParameter(command, "@project", project);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ReadCatalogStampAsync(DbTransaction transaction, string project, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, SelectCatalogStampSql);
        AddParameter(command, "@project", project);
        var found = await command.ExecuteScalarAsync(cancellationToken);
        return found is null or DBNull ? 0 : Convert.ToInt64(found, CultureInfo.InvariantCulture);
    }

    private void BindEntry(DbCommand command, CatalogEntry entry)
    {
        AddParameter(command, "@project", entry.Project);
        AddParameter(command, "@name", entry.Name);
        AddParameter(command, "@kind", KindKey(entry.Kind));
        AddParameter(command, "@status", entry.Status.Key());
        AddParameter(command, "@owner", entry.Metadata.Owner);
        AddParameter(command, "@feature_type", entry.Metadata.FeatureType);
        AddParameter(command, "@current_version", entry.CurrentVersion.ToString());
        SetJsonType(AddParameter(command, "@metadata", CatalogJson.SerializeMetadata(entry.Metadata)));
        SetJsonType(AddParameter(command, "@applied_keys", CatalogJson.SerializeKeys(entry.AppliedKeys)));
        AddParameter(command, "@defined", entry.Defined);
        AddParameter(command, "@usage_count", entry.UsageCount);
        AddParameter(command, "@last_used_at", entry.LastUsedAt is { } lastUsed ? ToDbTimestamp(ToUtcMicroseconds(lastUsed)) : null);
        AddParameter(command, "@created_at", ToDbTimestamp(ToUtcMicroseconds(entry.CreatedAt)));
        AddParameter(command, "@updated_at", ToDbTimestamp(ToUtcMicroseconds(entry.UpdatedAt)));
        AddParameter(command, "@deprecated_at", entry.DeprecatedAt is { } deprecated ? ToDbTimestamp(ToUtcMicroseconds(deprecated)) : null);
    }

    private async Task<List<CatalogEntry>> ReadEntriesAsync(
        DbTransaction transaction,
        string sql,
        string project,
        Action<DbCommand>? bind,
        CancellationToken cancellationToken,
        bool bindProject = true)
    {
        await using var command = CreateCommand(transaction, sql);
        if (bindProject)
        {
            AddParameter(command, "@project", project);
        }

        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CatalogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            var kindKey = reader.GetString(1);
            var statusKey = reader.GetString(2);
            var versionText = reader.GetString(5);
            if (!TryParseKind(kindKey, out var kind) || !LifecycleStatuses.TryParse(statusKey, out var status) || !SemanticVersion.TryParse(versionText, out var current))
            {
                throw new GranaryException(
                    ErrorCodes.RegistryUnavailable,
                    $"Catalog entry '{name}' of project '{project}' has an unknown kind '{kindKey}', status '{statusKey}' or version '{versionText}'; the registry was written by a newer Granary.");
            }

            entries.Add(new CatalogEntry(project, name, kind)
            {
                Metadata = CatalogJson.DeserializeMetadata(reader.GetString(6), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)),
                Status = status,
                CurrentVersion = current,
                AppliedKeys = CatalogJson.DeserializeKeys(reader.GetString(7)),
                Defined = reader.GetBoolean(8),
                UsageCount = reader.GetInt64(9),
                LastUsedAt = reader.IsDBNull(10) ? null : ReadTimestamp(reader, 10),
                CreatedAt = ReadTimestamp(reader, 11),
                UpdatedAt = ReadTimestamp(reader, 12),
                DeprecatedAt = reader.IsDBNull(13) ? null : ReadTimestamp(reader, 13),
            });
        }

        return entries;
    }

    private async Task<List<CatalogVersion>> ReadVersionsAsync(
        DbTransaction transaction,
        string sql,
        string project,
        Action<DbCommand>? bind,
        CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, sql);
        AddParameter(command, "@project", project);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<CatalogVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            var versionText = reader.GetString(1);
            var restoredText = reader.IsDBNull(10) ? null : reader.GetString(10);
            SemanticVersion restored = default;
            if (!SemanticVersion.TryParse(versionText, out var version) || (restoredText is not null && !SemanticVersion.TryParse(restoredText, out restored)))
            {
                throw new GranaryException(
                    ErrorCodes.RegistryUnavailable,
                    $"Catalog entry '{name}' of project '{project}' has a version '{versionText}' (restored from '{restoredText}') that is not MAJOR.MINOR.PATCH.");
            }

            var row = new CatalogVersion(project, name, version)
            {
                DefinitionSnapshot = reader.IsDBNull(3) ? null : reader.GetString(3),
                RegistryVersion = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                Promoted = reader.GetBoolean(5),
                CreatedBy = reader.GetString(6),
                CreatedAt = ReadTimestamp(reader, 7),
                IsRolledBack = reader.GetBoolean(8),
                RolledBackAt = reader.IsDBNull(9) ? null : ReadTimestamp(reader, 9),
                RestoredFrom = restoredText is null ? null : restored,
            };
            versions.Add(CatalogJson.WithDetails(row, reader.GetString(2)));
        }

        return versions;
    }

    private static async Task<IReadOnlyList<string>> ReadDistinctAsync(DbTransaction transaction, string sql, string project, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, sql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        values.Sort(StringComparer.Ordinal);
        return values;
    }

    private static string UsageInsertSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO granary_catalog_usage (").Append(UsageColumns).Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < UsageColumnCount; column++)
            {
                sql.Append(column == 0 ? "@p" : ", @p").Append((row * UsageColumnCount) + column);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }

    // A null double must still reach PostgreSQL typed, or a row whose first value is null leaves the column unknown.
    private static void AddDoubleParameter(DbCommand command, string name, double? value)
    {
        var parameter = AddParameter(command, name, value);
        parameter.DbType = System.Data.DbType.Double;
    }

    private static bool HasAllTags(IReadOnlyList<string> tags, IReadOnlyList<string> wanted)
    {
        foreach (var tag in wanted)
        {
            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareByNameThenNewest(CatalogVersion x, CatalogVersion y)
    {
        var byName = string.CompareOrdinal(x.Name, y.Name);
        return byName != 0 ? byName : y.Version.CompareTo(x.Version);
    }

    private static string KindKey(CatalogEntryKind kind) => kind switch
    {
        CatalogEntryKind.Feature => "feature",
        CatalogEntryKind.View => "view",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static bool TryParseKind(string key, out CatalogEntryKind kind)
    {
        switch (key)
        {
            case "feature": kind = CatalogEntryKind.Feature; return true;
            case "view": kind = CatalogEntryKind.View; return true;
            default: kind = default; return false;
        }
    }

    private static void Validate(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Project, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Name, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Metadata, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.AppliedKeys, nameof(entry));
    }

    private static void Validate(CatalogVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrEmpty(version.Project, nameof(version));
        ArgumentException.ThrowIfNullOrEmpty(version.Name, nameof(version));
        ArgumentNullException.ThrowIfNull(version.CreatedBy, nameof(version));
        ArgumentNullException.ThrowIfNull(version.BreakingChanges, nameof(version));
        ArgumentNullException.ThrowIfNull(version.ValidationSnapshot, nameof(version));
    }

    private static void ValidateVersionOf(CatalogEntry entry, CatalogVersion version)
    {
        Validate(version);
        if (version.Project != entry.Project || version.Name != entry.Name)
        {
            throw new ArgumentException(
                $"Version {version.Version} is of '{version.Name}' in project '{version.Project}', not of entry '{entry.Name}' in project '{entry.Project}'.",
                nameof(version));
        }
    }

    private static void Validate(FeatureUsage use)
    {
        ArgumentNullException.ThrowIfNull(use);
        ArgumentException.ThrowIfNullOrEmpty(use.Project, nameof(use));
        ArgumentException.ThrowIfNullOrEmpty(use.FeatureName, nameof(use));
        ArgumentNullException.ThrowIfNull(use.FeatureVersion, nameof(use));
        ArgumentNullException.ThrowIfNull(use.UsedByModel, nameof(use));
        ArgumentNullException.ThrowIfNull(use.Environment, nameof(use));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(use.Count, nameof(use));
    }

    /// <summary>Orders (project, name) keys ordinally.</summary>
    private sealed class EntryKeyComparer : IComparer<(string Project, string Name)>
    {
        public static readonly EntryKeyComparer Instance = new();

        public int Compare((string Project, string Name) x, (string Project, string Name) y)
        {
            var byProject = string.CompareOrdinal(x.Project, y.Project);
            return byProject != 0 ? byProject : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
