namespace Granary.Offline.DuckDb;

internal sealed partial class DuckDbOfflineEngine : IServingLog
{
    private readonly DuckDbServingLog _servingLog = new();

    Task IServingLog.AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken) =>
        _servingLog.AppendAsync(table, rows, cancellationToken);

    Task<OfflineRows> IServingLog.ReadAsync(ServingLogTable table, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        ReadRowsAsync(DuckDbServingLog.ReadSql(table, start, end), inUtc: true, cancellationToken);

    Task<long> IServingLog.DeleteOlderThanAsync(ServingLogTable table, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(DuckDbServingLog.DeleteOlderThan(table, cutoff));
    }
}
