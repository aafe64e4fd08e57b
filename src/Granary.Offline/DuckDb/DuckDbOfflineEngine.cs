using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The embedded offline engine: DuckDB reads Parquet and CSV sources in place and runs the point-in-time join
/// (one <c>ASOF JOIN</c> per view). Each call uses its own in-memory database, so calls may run concurrently.
/// </summary>
internal sealed partial class DuckDbOfflineEngine : IOfflineEngine, IPointInTimeReader, ILatestValuesReader, IPushLog, IPushLogCompaction, ISourceSchemaInspector
{
    private readonly DuckDbSourceSchemaInspector _inspector = new();
    private readonly DuckDbPushLog _pushLog;
    private readonly string? _dataFolder;

    /// <param name="compactPushLogAfterParts">How many parts a push log folder holds before it is compacted.</param>
    /// <param name="time">The clock that paces waits for another process's lock on a push log.</param>
    /// <param name="dataFolder">
    /// The absolute folder that relative source paths resolve against (<c>offline_store.data_folder</c>); the
    /// repository root when null.
    /// </param>
    public DuckDbOfflineEngine(int compactPushLogAfterParts = DuckDbPushLog.DefaultCompactAfterParts, TimeProvider? time = null, string? dataFolder = null)
    {
        _pushLog = new DuckDbPushLog(compactPushLogAfterParts, time);
        _dataFolder = dataFolder;
    }

    /// <summary>The folder a request's relative source paths resolve against: the data folder when one is set.</summary>
    private string Root(string repositoryRoot) => _dataFolder ?? repositoryRoot;

    public string Name => "duckdb";

    public string Explain(PointInTimeRequest request) => DuckDbHistoricalRetrieval.ToSql(request with { RepositoryRoot = Root(request.RepositoryRoot) });

    public Task<SourceSchema?> InspectAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default) =>
        _inspector.InspectAsync(source, Root(repositoryRoot), cancellationToken);

    public async Task<OfflineRows> ReadAsync(PointInTimeRequest request, CancellationToken cancellationToken = default)
    {
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        try
        {
            await DuckDbEntityTable.CheckAsync(connection, request, _inspector, cancellationToken);
            var reader = await DuckDbHistoricalRetrieval.ExecuteReaderAsync(connection, request, cancellationToken);
            return new OfflineRows(reader, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default)
    {
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        return await ReadRowsAsync(DuckDbLatestValuesQuery.Build(request), inUtc: false, cancellationToken);
    }

    /// <summary>The rows of <paramref name="sql"/>, on a connection of their own that they close.</summary>
    private static async Task<OfflineRows> ReadRowsAsync(string sql, bool inUtc, CancellationToken cancellationToken)
    {
        var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        try
        {
            if (inUtc)
            {
                await DuckDbHistoricalRetrieval.SetUtcAsync(connection, cancellationToken);
            }

            var command = connection.CreateCommand();
            command.CommandText = sql;
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default)
    {
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DuckDbLatestValuesQuery.BuildCount(request);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<long> WriteAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken = default)
    {
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await DuckDbEntityTable.CheckAsync(connection, request, _inspector, cancellationToken);
        return await DuckDbHistoricalRetrieval.WriteToFileAsync(connection, request, outputPath, format, cancellationToken);
    }

    public Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default) =>
        _pushLog.AppendAsync(FileSourceOf(source), Root(repositoryRoot), columns, rows, cancellationToken);

    public Task<int> CompactAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default) =>
        _pushLog.CompactAsync(FileSourceOf(source), Root(repositoryRoot), cancellationToken);

    public ValueTask DisposeAsync()
    {
        _pushLog.Dispose();
        _servingLog.Dispose();
        return ValueTask.CompletedTask;
    }

    private static FileSource FileSourceOf(BatchSource source) => source as FileSource
        ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"The DuckDB offline engine logs pushed rows to file sources only; '{source.Name}' is a {source.SourceType} source.");
}
