namespace Granary.Offline.Postgres;

internal sealed partial class PostgresOfflineEngine : IServingLog
{
    private PostgresServingLog? _servingLog;

    private PostgresServingLog ServingLog => _servingLog ??= new PostgresServingLog(_dataSource);

    Task IServingLog.AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken) =>
        ServingLog.AppendAsync(table, rows, cancellationToken);

    async Task<OfflineRows> IServingLog.ReadAsync(ServingLogTable table, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var connection = await OpenInUtcAsync(cancellationToken);
        try
        {
            return await PostgresServingLog.ReadAsync(connection, table, start, end, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    Task<long> IServingLog.DeleteOlderThanAsync(ServingLogTable table, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        ServingLog.DeleteOlderThanAsync(table, cutoff, cancellationToken);
}
