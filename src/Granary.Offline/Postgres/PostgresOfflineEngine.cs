using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Offline.Diagnostics;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Granary.Offline.Postgres;

/// <summary>
/// The PostgreSQL offline engine: sources are tables or queries in one database, and the point-in-time join runs
/// there as one set-based statement (sorts, window functions and joins on row numbers, see <see cref="PostgresViewJoin"/>), fast with or without
/// indexes. A file entity table is first copied into a temp table of the retrieval's own session. Each call takes its
/// own connection from the pool, so calls may run concurrently. Files (a file entity table, Parquet output) are read and
/// written by <see cref="DataFiles"/>: PostgreSQL's server reaches only its own tables.
/// </summary>
/// <remarks>
/// A relation or query entity table comes out in the order PostgreSQL reads it; give a query an <c>ORDER BY</c> to fix
/// that order. Column names starting with <c>__granary_</c> are reserved. Relation and table names are quoted part by
/// part, so they match case-sensitively as written. A statement that runs out of time (the connection string's
/// <c>Command Timeout</c>, or the server's <c>statement_timeout</c>) is a <see cref="ErrorCodes.SourceTimeout"/> error.
/// </remarks>
internal sealed partial class PostgresOfflineEngine : IOfflineEngine, IPointInTimeReader, ILatestValuesReader, IPushLog, ISourceSchemaInspector, ISourceIndexAdvisor
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IEngineFiles _files;
    private readonly PostgresSourceSchemaInspector _inspector;
    private readonly PostgresIndexAdvisor _indexAdvisor;
    private readonly int _commandTimeoutSeconds;
    private readonly ILogger _logger;

    /// <summary>Creates the engine for the database <paramref name="connectionString"/> points at. Nothing is opened yet.</summary>
    /// <param name="connectionString">Npgsql's connection string.</param>
    /// <param name="logger">
    /// The engine's own events (6101-6199: entity tables loaded, statements out of time); none logs nothing. The events
    /// every engine shares come from <see cref="TracedOfflineEngine"/>.
    /// </param>
    /// <exception cref="GranaryException">The connection string is malformed (<see cref="ErrorCodes.InvalidConfig"/>).</exception>
    public PostgresOfflineEngine(string connectionString, ILogger? logger = null)
        : this(connectionString, DataFiles.ForEngines, logger)
    {
    }

    internal PostgresOfflineEngine(string connectionString, IEngineFiles files, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        _files = files;
        _logger = logger ?? NullLogger.Instance;
        try
        {
            _dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Neither the string nor the parser's message (which may quote a value) is repeated: it may hold a password.
            throw new GranaryException(
                ErrorCodes.InvalidConfig,
                "The PostgreSQL offline store's connection string is not valid (expected 'Host=...;Database=...;Username=...'); check offline_store in granary.yaml.");
        }

        _inspector = new PostgresSourceSchemaInspector(_dataSource);
        _indexAdvisor = new PostgresIndexAdvisor(_dataSource);
        _commandTimeoutSeconds = new NpgsqlConnectionStringBuilder(connectionString).CommandTimeout;
    }

    public string Name => "postgres";

    public string Explain(PointInTimeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fileColumns = request.Entities.Kind == EntityTableKind.File
            ? PostgresEntityLoader.Describe(_files, request.Entities).Select(c => c.Name).ToList()
            : null;
        return PostgresPointInTimeQuery.Build(request, fileColumns);
    }

    public Task<SourceSchema?> InspectAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default) =>
        _inspector.InspectAsync(source, cancellationToken);

    /// <summary>
    /// The index to create on a table source of <see cref="PostgresIndexAdvisor.LargeTableRows"/> rows or more that
    /// has none on (join keys, event time); null otherwise. The join is set-based and needs no index, but with one it
    /// skips the rows of keys no entity row asks for.
    /// </summary>
    public Task<MissingIndex?> FindMissingIndexAsync(
        BatchSource source, IReadOnlyList<string> keyColumns, string timestampColumn, CancellationToken cancellationToken = default) =>
        _indexAdvisor.FindMissingIndexAsync(source, keyColumns, timestampColumn, cancellationToken);

    public async Task<OfflineRows> ReadAsync(PointInTimeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Built before connecting: a request that cannot be answered fails without touching the database.
        var columns = request.Entities.Kind == EntityTableKind.File ? PostgresEntityLoader.Describe(_files, request.Entities) : null;
        var sql = PostgresPointInTimeQuery.Build(request, columns?.Select(c => c.Name).ToList());
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);

            // Naive timestamps (entity or source) are UTC; the session zone decides how PostgreSQL reads them. The
            // planner cannot see that each entity row has one match per view, so its cost estimate of the join runs
            // to billions of rows and would trigger JIT compilation, which then takes longer than the join itself.
            await using (var utc = new NpgsqlCommand("SET TimeZone = 'UTC'; SET jit = off", connection))
            {
                await utc.ExecuteNonQueryAsync(cancellationToken);
            }

            await CheckEntityTableAsync(connection, request, cancellationToken);
            if (columns is not null)
            {
                var loading = Stopwatch.GetTimestamp();
                var loaded = await PostgresEntityLoader.LoadAsync(_files, connection, request.Entities, columns, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(loading);
                OfflineLog.PostgresEntityTableLoaded(_logger, request.Entities.Description, loaded, elapsed);
            }

            command = new NpgsqlCommand(sql, connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new OfflineRows(reader, command, connection);
        }
        catch (Exception e)
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            // Only a statement can run out of time; a connection attempt that times out is an unreachable server.
            var timeout = command is null ? null : TimedOut(e, $"the retrieval of {ViewNames(request)} for {request.Entities.Description}", started);

            // Whatever stops a connection from opening (a server gone or refusing, a database closed to connections)
            // is the store being unavailable, whichever SQLSTATE it carries.
            var unopened = connection is null && e is NpgsqlException
                ? new GranaryException(ErrorCodes.SourceUnavailable, $"Cannot connect to the PostgreSQL offline store for the retrieval of {ViewNames(request)}: {(e as PostgresException)?.MessageText ?? e.Message}. Check that the server is running and reachable with offline_store's connection string; retry when it is back.", e)
                : null;
            if ((timeout ?? unopened ?? Translate(e, request)) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    public async Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = PostgresLatestValuesQuery.Build(request);
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        try
        {
            connection = await OpenInUtcAsync(cancellationToken);
            command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("start", request.Start.ToUniversalTime());
            command.Parameters.AddWithValue("end", request.End.ToUniversalTime());
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch (Exception e) when (e is NpgsqlException)
        {
            var timeout = command is null ? null : TimedOut(e, $"reading the latest values of '{request.View.View.Name}'", started);
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw timeout ?? new GranaryException(ErrorCodes.SourceUnavailable, $"PostgreSQL cannot read the latest values of '{request.View.View.Name}': {(e as PostgresException)?.MessageText ?? e.Message}.", e);
        }
    }

    /// <summary>
    /// A connection whose session reads naive timestamps (of sources and event logs) as UTC, as the point-in-time join
    /// does: the server's or database's own zone must not shift what a log's times mean.
    /// </summary>
    private async Task<NpgsqlConnection> OpenInUtcAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var utc = new NpgsqlCommand("SET TimeZone = 'UTC'", connection);
            await utc.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM ({PostgresLatestValuesQuery.Build(request)}) AS latest", connection);
        command.Parameters.AddWithValue("start", request.Start.ToUniversalTime());
        command.Parameters.AddWithValue("end", request.End.ToUniversalTime());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> WriteAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var path = Path.GetFullPath(outputPath);
        var started = Stopwatch.GetTimestamp();
        await using var rows = await ReadAsync(request, cancellationToken);
        try
        {
            return format switch
            {
                FileFormat.Csv => await CsvRowWriter.WriteAsync(rows.Reader, path, cancellationToken),
                FileFormat.Parquet => await _files.WriteParquetAsync(rows.Reader, PostgresResultColumns.Of(rows.Reader), path, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown file format."),
            };
        }
        catch (NpgsqlException e) when (TimedOut(e, $"the retrieval of {ViewNames(request)} for {request.Entities.Description}", started) is { } timeout)
        {
            throw timeout;
        }
    }

    public Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default) =>
        source is PostgresSource postgres
            ? PostgresPushLog.AppendAsync(_dataSource, postgres, columns, rows, cancellationToken)
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"The PostgreSQL offline engine logs pushed rows to PostgreSQL table sources only; '{source.Name}' is a {source.SourceType} source.");

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// The error of a statement computing <paramref name="what"/> (a profile, a drift sample, a validation) that failed:
    /// a timeout, a classified failure such as a missing column, or otherwise the source unavailable.
    /// </summary>
    private GranaryException ComputeFailed(NpgsqlException e, string what, long started) =>
        TimedOut(e, what, started)
        ?? Classified(e, what)
        ?? new GranaryException(ErrorCodes.SourceUnavailable, $"PostgreSQL cannot compute {what}: {(e as PostgresException)?.MessageText ?? e.Message}.", e);

    /// <summary>
    /// The timeout error for <paramref name="e"/>, logged (6102) with how long the statement ran, or null when it is no
    /// timeout: the error says which setting to raise, the log how close to it the work came.
    /// </summary>
    private GranaryException? TimedOut(Exception e, string what, long started)
    {
        var timeout = PostgresTimeouts.Translate(e, what, _commandTimeoutSeconds);
        if (timeout is not null)
        {
            var (elapsed, limit) = (Stopwatch.GetElapsedTime(started), PostgresTimeouts.LimitOf(e, _commandTimeoutSeconds));
            OfflineLog.PostgresTimedOut(_logger, what, elapsed, limit);
        }

        return timeout;
    }

    private static string ViewNames(PointInTimeRequest request) => string.Join(", ", request.Views.Select(v => $"'{v.View.Name}'"));

    // PostgreSQL's messages may quote the statement's own aliases, which mean nothing to the user.
    // A column qualified by one ("__granary_s0.orders_7d") keeps its own name, which is the user's.
    private static string WithoutInternalNames(string message)
    {
        var unqualified = InternalQualifier().Replace(message, string.Empty);
        return unqualified.Contains(EntityTableCheck.ReservedPrefix, StringComparison.Ordinal) ? "a column or relation it needs is missing" : unqualified;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"?__granary_[A-Za-z0-9_]*\"?\\.")]
    private static partial System.Text.RegularExpressions.Regex InternalQualifier();

    // A file is read by the file reader on its way in, so it describes and probes it; a relation or query is described
    // by PostgreSQL (LIMIT 0 reads no row), and a value that does not convert is reported from PostgreSQL's error.
    private async Task CheckEntityTableAsync(NpgsqlConnection connection, PointInTimeRequest request, CancellationToken cancellationToken)
    {
        if (request.Entities.Kind == EntityTableKind.File)
        {
            await _files.CheckEntityFileAsync(request, this, cancellationToken);
            return;
        }

        var relation = request.Entities.Kind == EntityTableKind.Relation
            ? PostgresSql.QualifiedName(request.Entities.Text)
            : $"({request.Entities.Text})";
        List<SourceColumn> columns;
        try
        {
            await using var command = new NpgsqlCommand($"SELECT * FROM {relation} AS \"__granary_in\" LIMIT 0", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            columns = (await reader.GetColumnSchemaAsync(cancellationToken)).Select(c => new SourceColumn(c.ColumnName, c.DataTypeName ?? "unknown")).ToList();
        }
        catch (PostgresException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The entity table ({request.Entities.Description}) cannot be read by PostgreSQL: {e.MessageText}.", e);
        }

        await new EntityTableCheck(request, columns).CheckAsync(this, probe: null, cancellationToken);
    }

    // Failures a user can fix get a code, classified by PostgreSQL's own signals (EngineFailures); anything else (a bug
    // of ours) surfaces as it is.
    private static GranaryException? Translate(Exception e, PointInTimeRequest request)
    {
        var views = ViewNames(request);
        return e switch
        {
            // undefined_table, invalid_schema_name: a source names a relation that is not (or no longer) there, which
            // is the source being unavailable, as when it is inspected.
            PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName } pg => new GranaryException(
                ErrorCodes.SourceUnavailable,
                $"PostgreSQL cannot run the retrieval of {views} for {request.Entities.Description}: {WithoutInternalNames(pg.MessageText)}.",
                pg),

            // undefined_column: the entity table's columns were checked beforehand, so a source lacks one the view names.
            PostgresException { SqlState: PostgresErrorCodes.UndefinedColumn } pg => new GranaryException(
                ErrorCodes.InvalidArgument,
                $"The retrieval of {views} for {request.Entities.Description} names a column a source does not have: {WithoutInternalNames(pg.MessageText)}. Check the views' features, join keys and timestamp fields against their sources (granary plan).",
                pg),

            // A data exception: a value of the entity table (checked by type beforehand) that PostgreSQL cannot convert.
            PostgresException { SqlState: var state } pg when state.StartsWith("22", StringComparison.Ordinal) => new GranaryException(
                ErrorCodes.InvalidArgument,
                $"A value in the entity table ({request.Entities.Description}) does not convert: {WithoutInternalNames(pg.MessageText)}. Check its '{EntityTable.TimestampColumn}' values (ISO-8601, such as 2026-11-01T00:00:00Z) and join keys.",
                pg),
            _ => Classified(e, $"the retrieval of {views} for {request.Entities.Description}"),
        };
    }

    /// <summary>The error for a failure <see cref="EngineFailures"/> recognizes (other than a timeout), or null.</summary>
    // A timeout that reaches here is not a statement's (those are recognized first) but the connection attempt's.
    internal static GranaryException? Classified(Exception e, string what) => EngineFailures.Classify(e) switch
    {
        EngineFailureKind.Unavailable or EngineFailureKind.Timeout => new GranaryException(
            ErrorCodes.SourceUnavailable,
            $"The PostgreSQL offline store is unavailable for {what}: {(e as PostgresException)?.MessageText ?? e.Message}. Check that the server is running and reachable with offline_store's connection string; retry when it is back.",
            e),
        EngineFailureKind.InvalidInput => new GranaryException(
            ErrorCodes.InvalidArgument,
            $"PostgreSQL cannot run {what}: {WithoutInternalNames((e as PostgresException)?.MessageText ?? e.Message)}. Check the views' sources and the entity table against the definitions (granary plan).",
            e),
        _ => null,
    };
}
