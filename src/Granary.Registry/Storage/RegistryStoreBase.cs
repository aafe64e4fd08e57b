using System.Data.Common;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Registry.Storage;

/// <summary>
/// The part of a registry store that does not depend on the database: the SQL (written to run unchanged on SQLite
/// and PostgreSQL), the apply protocol and the mapping between rows and records. A store supplies how to open a
/// connection, how to begin each kind of transaction and how its database holds timestamps.
/// </summary>
/// <remarks>
/// Apply is one write transaction: bump the project's version only if it is still the version the plan saw, then
/// write each change (each must find the object where the plan found it), then insert the history row. The first
/// statement that finds the registry moved aborts the transaction, so a conflict writes nothing.
/// </remarks>
internal abstract partial class RegistryStoreBase : IRegistryStore
{
    private const string SelectVersionSql = "SELECT version FROM granary_registry_projects WHERE project = @project";

    private const string SelectProjectsSql = "SELECT project, version, updated_at FROM granary_registry_projects";

    // A new project has no row to guard, so its first apply inserts one; ON CONFLICT turns a concurrent first apply
    // into "0 rows" (a conflict) instead of an error, and PostgreSQL makes the loser wait for the winner to commit.
    private const string InsertProjectSql = """
        INSERT INTO granary_registry_projects (project, version, updated_at) VALUES (@project, 1, @at)
        ON CONFLICT (project) DO NOTHING
        """;

    private const string AdvanceProjectSql = """
        UPDATE granary_registry_projects SET version = version + 1, updated_at = @at
        WHERE project = @project AND version = @expected
        """;

    private const string AddObjectSql = """
        INSERT INTO granary_registry_objects
            (project, kind, name, spec, hash, created_version, updated_version, created_at, updated_at)
        VALUES (@project, @kind, @name, @spec, @hash, @version, @version, @at, @at)
        ON CONFLICT (project, kind, name) DO NOTHING
        """;

    private const string UpdateObjectSql = """
        UPDATE granary_registry_objects SET spec = @spec, hash = @hash, updated_version = @version, updated_at = @at
        WHERE project = @project AND kind = @kind AND name = @name
        """;

    private const string RemoveObjectSql = """
        DELETE FROM granary_registry_objects WHERE project = @project AND kind = @kind AND name = @name
        """;

    private const string InsertHistorySql = """
        INSERT INTO granary_registry_history (project, version, applied_at, applied_by, changes, definitions)
        VALUES (@project, @version, @at, @by, @changes, @definitions)
        """;

    private const string SelectObjectsSql = """
        SELECT kind, name, spec, hash, created_version, updated_version, created_at, updated_at
        FROM granary_registry_objects WHERE project = @project
        """;

    private const string SelectHistorySql = """
        SELECT version, applied_at, applied_by, changes, definitions
        FROM granary_registry_history WHERE project = @project
        ORDER BY version DESC LIMIT @limit
        """;

    // One statement, so no transaction: saving replaces the record whole, and touches neither the project's version
    // nor its history because a dataset is not a definition.
    private const string UpsertDatasetSql = """
        INSERT INTO granary_registry_datasets (project, name, spec, created_at)
        VALUES (@project, @name, @spec, @at)
        ON CONFLICT (project, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at
        """;

    private const string SelectDatasetsSql = "SELECT name, spec FROM granary_registry_datasets WHERE project = @project";

    private const string SelectDatasetSql = "SELECT name, spec FROM granary_registry_datasets WHERE project = @project AND name = @name";

    private readonly ILogger _logger;

    private protected RegistryStoreBase(ILogger? logger)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public virtual string? FilePath => null;

    /// <summary>The column type for timestamps.</summary>
    private protected abstract string TimestampType { get; }

    /// <summary>The column type for JSON: the history's array of changes and saved datasets' specs.</summary>
    private protected abstract string JsonType { get; }

    /// <summary>What errors call this registry (a path, or host, port and database; never a password).</summary>
    private protected abstract string Location { get; }

    private async Task InitializeAsyncCore(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSchemaTransactionAsync(connection, cancellationToken);
        foreach (var statement in RegistrySchema.CreateStatements(TimestampType, JsonType))
        {
            await ExecuteAsync(transaction, statement, cancellationToken);
        }

        long? existing;
        await using (var command = CreateCommand(transaction, "SELECT max(version) FROM granary_registry_schema"))
        {
            var found = await command.ExecuteScalarAsync(cancellationToken);
            existing = found is null or DBNull ? null : Convert.ToInt64(found);
            if (existing is null)
            {
                await using var insert = CreateCommand(transaction, "INSERT INTO granary_registry_schema (version) VALUES (@version)");
                AddParameter(insert, "@version", RegistrySchema.CurrentVersion);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            else if (existing > RegistrySchema.CurrentVersion)
            {
                throw new GranaryException(
                    ErrorCodes.RegistryUnavailable,
                    $"The registry's schema is at version {existing}, newer than the {RegistrySchema.CurrentVersion} this Granary understands. Upgrade Granary to use it.");
            }
            else if (existing < RegistrySchema.CurrentVersion)
            {
                // The statements above created what the newer versions add (every one is IF NOT EXISTS); recording the
                // version in the same transaction, under the schema lock, makes the migration happen once, whole,
                // however many processes open the registry at the same moment.
                await using var update = CreateCommand(transaction, "UPDATE granary_registry_schema SET version = @version");
                AddParameter(update, "@version", RegistrySchema.CurrentVersion);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (existing is { } version && version < RegistrySchema.CurrentVersion)
        {
            RegistryLog.SchemaMigrated(_logger, Location, version, RegistrySchema.CurrentVersion);
        }
        else if (existing is { } found)
        {
            RegistryLog.SchemaFound(_logger, Location, found);
        }
        else
        {
            RegistryLog.SchemaCreated(_logger, Location, RegistrySchema.CurrentVersion);
        }
    }

    private async Task<long> GetVersionAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, project, cancellationToken);
    }

    private async Task<IReadOnlyList<RegistryProject>> ListProjectsAsyncCore(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectProjectsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var projects = new List<RegistryProject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            projects.Add(new RegistryProject(reader.GetString(0), reader.GetInt64(1), ReadTimestamp(reader, 2)));
        }

        // Ordinal, whatever the database's collation, as objects and datasets are.
        projects.Sort(static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        return projects;
    }

    private async Task<RegistrySnapshot> LoadAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);

        // The version and the objects come from one snapshot, so a reader never sees objects of one version under
        // the number of another while an apply commits between the two queries.
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken);
        var version = await ReadVersionAsync(connection, transaction, project, cancellationToken);
        var objects = new List<StoredObject>();
        await using (var command = CreateCommand(transaction, SelectObjectsSql))
        {
            AddParameter(command, "@project", project);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var kindKey = reader.GetString(0);
                if (!ObjectKinds.TryParseKey(kindKey, out var kind))
                {
                    throw new GranaryException(
                        ErrorCodes.RegistryUnavailable,
                        $"Project '{project}' holds an object of unknown kind '{kindKey}'; the registry was written by a newer Granary.");
                }

                objects.Add(new StoredObject(
                    kind,
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetInt64(4),
                    reader.GetInt64(5),
                    ReadTimestamp(reader, 6),
                    ReadTimestamp(reader, 7)));
            }
        }

        // The catalog in the same snapshot: a version an apply added is never seen without the objects it describes.
        var catalogStamp = await ReadCatalogStampAsync(transaction, project, cancellationToken);
        var entries = await ReadEntriesAsync(transaction, SelectEntriesSql, project, null, cancellationToken);
        var versions = await ReadVersionsAsync(transaction, SelectAllVersionsSql, project, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Sorted here rather than in SQL: name order must be ordinal everywhere, whatever collation the database has.
        objects.Sort(CompareInDependencyOrder);
        entries.Sort(static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        versions.Sort(CompareByNameThenNewest);
        return new RegistrySnapshot(project, version, objects)
        {
            CatalogStamp = catalogStamp,
            CatalogEntries = entries,
            CatalogVersions = versions,
        };
    }

    private async Task<long> ApplyAsyncCore(ApplyRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var project = request.Project;
        var version = request.ExpectedVersion + 1;
        var at = ToDbTimestamp(ToUtcMicroseconds(request.AppliedAt));

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        try
        {
            await using (var command = CreateCommand(transaction, request.ExpectedVersion == 0 ? InsertProjectSql : AdvanceProjectSql))
            {
                AddParameter(command, "@project", project);
                AddParameter(command, "@at", at);
                if (request.ExpectedVersion != 0)
                {
                    AddParameter(command, "@expected", request.ExpectedVersion);
                }

                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    var current = await ReadVersionAsync(connection, transaction, project, cancellationToken);
                    throw new GranaryException(
                        ErrorCodes.RegistryConflict,
                        $"The registry of project '{project}' moved from version {request.ExpectedVersion} to {current} since the plan was made; nothing was written. Re-run plan, review it and apply again.");
                }
            }

            foreach (var change in request.Changes)
            {
                await using var command = CreateCommand(transaction, change.Action switch
                {
                    ChangeAction.Add => AddObjectSql,
                    ChangeAction.Update => UpdateObjectSql,
                    _ => RemoveObjectSql,
                });
                AddParameter(command, "@project", project);
                AddParameter(command, "@kind", change.Kind.Key());
                AddParameter(command, "@name", change.Name);
                if (change.Action != ChangeAction.Remove)
                {
                    AddParameter(command, "@spec", change.NewSpec);
                    AddParameter(command, "@hash", change.NewHash);
                    AddParameter(command, "@version", version);
                    AddParameter(command, "@at", at);
                }

                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw ObjectConflict(request, change);
                }
            }

            await WriteCatalogAsync(transaction, request, cancellationToken);

            await using (var command = CreateCommand(transaction, InsertHistorySql))
            {
                AddParameter(command, "@project", project);
                AddParameter(command, "@version", version);
                AddParameter(command, "@at", at);
                AddParameter(command, "@by", request.AppliedBy);
                SetJsonType(AddParameter(command, "@changes", HistoryJson.Serialize(request.Changes)));
                AddParameter(command, "@definitions", request.Definitions);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            // Only reachable if another writer slipped past the version guard (it should not): still a conflict.
            throw new GranaryException(
                ErrorCodes.RegistryConflict,
                $"Another apply to project '{project}' committed version {version} first; nothing was written. Re-run plan, review it and apply again.",
                e);
        }

        return version;
    }

    private async Task<IReadOnlyList<ApplyRecord>> GetHistoryAsyncCore(string project, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectHistorySql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<ApplyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = reader.GetInt64(0);
            records.Add(new ApplyRecord(
                project,
                version,
                ReadTimestamp(reader, 1),
                reader.GetString(2),
                HistoryJson.Deserialize(reader.GetString(3), project, version),
                reader.GetString(4)));
        }

        return records;
    }

    private async Task SaveDatasetAsyncCore(SavedDataset dataset, CancellationToken cancellationToken)
    {
        // Stored in Granary's one timestamp form, so what is read back equals what was stored, in the JSON and the
        // created_at column alike.
        var normalized = Validate(dataset) with
        {
            StartTime = dataset.StartTime is { } start ? ToUtcMicroseconds(start) : null,
            EndTime = dataset.EndTime is { } end ? ToUtcMicroseconds(end) : null,
            CreatedAt = ToUtcMicroseconds(dataset.CreatedAt),
        };
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, UpsertDatasetSql);
        AddParameter(command, "@project", normalized.Project);
        AddParameter(command, "@name", normalized.Name);
        SetJsonType(AddParameter(command, "@spec", DatasetJson.Serialize(normalized)));
        AddParameter(command, "@at", ToDbTimestamp(normalized.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<SavedDataset>> ListDatasetsAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectDatasetsSql);
        AddParameter(command, "@project", project);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var datasets = new List<SavedDataset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            datasets.Add(DatasetJson.Deserialize(reader.GetString(1), project, reader.GetString(0)));
        }

        // Sorted here rather than in SQL, like objects: name order must be ordinal whatever the database's collation.
        datasets.Sort(static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        return datasets;
    }

    private async Task<SavedDataset?> GetDatasetAsyncCore(string project, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectDatasetSql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? DatasetJson.Deserialize(reader.GetString(1), project, reader.GetString(0))
            : null;
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => GuardAsync(InitializeAsyncCore(cancellationToken));

    /// <inheritdoc />
    public Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default) => GuardAsync(GetVersionAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task<RegistryStamp> GetStampAsync(string project, CancellationToken cancellationToken = default) => GuardAsync(GetStampAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default) => GuardAsync(ListProjectsAsyncCore(cancellationToken));

    /// <inheritdoc />
    public Task<RegistrySnapshot> LoadAsync(string project, CancellationToken cancellationToken = default) => GuardAsync(LoadAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task<long> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default) => GuardAsync(ApplyAsyncCore(request, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(string project, int limit = 100, CancellationToken cancellationToken = default) => GuardAsync(GetHistoryAsyncCore(project, limit, cancellationToken));

    /// <inheritdoc />
    public Task SaveDatasetAsync(SavedDataset dataset, CancellationToken cancellationToken = default) => GuardAsync(SaveDatasetAsyncCore(dataset, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default) => GuardAsync(ListDatasetsAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default) => GuardAsync(GetDatasetAsyncCore(project, name, cancellationToken));

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a connection, turning "cannot reach or open the database" into <see cref="ErrorCodes.RegistryUnavailable"/>.</summary>
    private protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins the transaction that creates the tables, holding whatever lock serializes concurrent initializers.</summary>
    private protected abstract Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins an apply's transaction.</summary>
    private protected abstract Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a read-only transaction in which every query sees the same snapshot.</summary>
    private protected abstract Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The parameter value for a UTC timestamp already truncated to microseconds.</summary>
    private protected abstract object ToDbTimestamp(DateTimeOffset utc);

    private protected abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    private protected abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Marks a parameter as JSON where the database needs to be told.</summary>
    private protected virtual void SetJsonType(DbParameter parameter)
    {
    }

    /// <summary>Granary's one timestamp form: UTC, microsecond precision (finer ticks are dropped, not rounded).</summary>
    private protected static DateTimeOffset ToUtcMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>
    /// What follows <c>ORDER BY name</c> so the database orders by ordinal (code point) name, as the rest of Granary
    /// does, whatever its collation; empty where the default collation is already binary (SQLite).
    /// </summary>
    private protected virtual string OrdinalCollation => "";

    private static void Validate(ApplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Project, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.ExpectedVersion, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Changes, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Definitions, nameof(request));
        ArgumentNullException.ThrowIfNull(request.AppliedBy, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Catalog, nameof(request));
        foreach (var write in request.Catalog)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(request));
            Validate(write.Entry);
            if (write.Entry.Project != request.Project)
            {
                throw new ArgumentException($"Catalog entry '{write.Entry.Name}' belongs to project '{write.Entry.Project}', not to the applied project '{request.Project}'.", nameof(request));
            }

            if (write.NewVersion is { } newVersion)
            {
                ValidateVersionOf(write.Entry, newVersion);
            }
        }

        foreach (var change in request.Changes)
        {
            if (change.Action != ChangeAction.Remove && (change.NewSpec is null || change.NewHash is null))
            {
                throw new ArgumentException(
                    $"The {change.Action.ToString().ToLowerInvariant()} of {change.Kind.DisplayName()} '{change.Name}' has no new spec or hash.",
                    nameof(request));
            }
        }
    }

    private static SavedDataset Validate(SavedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrEmpty(dataset.Project, nameof(dataset));
        ArgumentException.ThrowIfNullOrEmpty(dataset.Name, nameof(dataset));
        ArgumentNullException.ThrowIfNull(dataset.Features, nameof(dataset));
        ArgumentNullException.ThrowIfNull(dataset.Entities, nameof(dataset));
        ArgumentNullException.ThrowIfNull(dataset.EntitiesKind, nameof(dataset));
        ArgumentNullException.ThrowIfNull(dataset.Output, nameof(dataset));
        ArgumentNullException.ThrowIfNull(dataset.CreatedBy, nameof(dataset));
        if (dataset.Features.Any(f => f is null))
        {
            throw new ArgumentException($"Saved dataset '{dataset.Name}' lists a null feature.", nameof(dataset));
        }

        return dataset;
    }

    private static GranaryException ObjectConflict(ApplyRequest request, ObjectChange change)
    {
        var (found, verb) = change.Action switch
        {
            ChangeAction.Add => ("already exists", "added"),
            ChangeAction.Update => ("does not exist", "updated"),
            _ => ("does not exist", "removed"),
        };
        return new GranaryException(
            ErrorCodes.RegistryConflict,
            $"The registry of project '{request.Project}' does not match the plan made at version {request.ExpectedVersion}: {change.Kind.DisplayName()} '{change.Name}' {found}, so it cannot be {verb}; nothing was written. Re-run plan, review it and apply again.");
    }

    private static int CompareInDependencyOrder(StoredObject x, StoredObject y)
    {
        var byKind = DependencyRank(x.Kind).CompareTo(DependencyRank(y.Kind));
        return byKind != 0 ? byKind : string.CompareOrdinal(x.Name, y.Name);
    }

    private static int DependencyRank(ObjectKind kind)
    {
        var order = ObjectKinds.InDependencyOrder;
        for (var i = 0; i < order.Length; i++)
        {
            if (order[i] == kind)
            {
                return i;
            }
        }

        return order.Length;
    }

    private static async Task<long> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, string project, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, SelectVersionSql);
        AddParameter(command, "@project", project);
        var found = await command.ExecuteScalarAsync(cancellationToken);
        return found is null or DBNull ? 0 : Convert.ToInt64(found);
    }

    private static async Task ExecuteAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand CreateCommand(DbTransaction transaction, string sql) =>
        CreateCommand(transaction.Connection!, transaction, sql);

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    // A database error after the connection opened (a file that is not a database, a dropped connection, a
    // permission denied) is reported as the registry being unavailable, naming which registry.
    private async Task GuardAsync(Task operation)
    {
        try
        {
            await operation;
        }
        catch (DbException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task<T> GuardAsync<T>(Task<T> operation)
    {
        try
        {
            return await operation;
        }
        catch (DbException e)
        {
            throw Unavailable(e);
        }
    }

    private GranaryException Unavailable(DbException e) =>
        new(ErrorCodes.RegistryUnavailable, $"The {Location} failed: {e.Message}", e);
}
