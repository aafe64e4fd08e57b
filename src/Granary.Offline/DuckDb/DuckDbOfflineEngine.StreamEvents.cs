using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

// Backfill's read of a stream view's logged events (IStreamEventReader).
internal sealed partial class DuckDbOfflineEngine : IStreamEventReader
{
    public async Task<OfflineRows> ReadEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        RequireLog(request);
        // A timestamp without a zone in the log is UTC, as the point-in-time join reads it.
        return await ReadRowsAsync(DuckDbStreamEventsQuery.Build(request), inUtc: true, cancellationToken);
    }

    public async Task<long> CountEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        RequireLog(request);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await DuckDbHistoricalRetrieval.SetUtcAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DuckDbStreamEventsQuery.BuildCount(request);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A log that was never written (its file absent, nothing pushed beside it) is told as such, not as the engine's
    /// "no files found": the usual cause is a view whose events were never logged yet.
    /// </summary>
    private static void RequireLog(StreamEventsRequest request)
    {
        if (request.View.Source is not FileSource file)
        {
            return;
        }

        var path = DuckDbSql.ResolvePath(file, request.RepositoryRoot);
        if (DuckDbSql.IsGlob(path) || File.Exists(path) || Directory.Exists(path) || DuckDbPushLogFiles.List(DuckDbSql.PushedFolder(path), file.Format).Live.Count > 0)
        {
            return;
        }

        throw new GranaryException(
            ErrorCodes.NotFound,
            $"Stream view '{request.View.View.Name}' has no event log yet: source '{file.Name}' ({file.Path}) does not exist and nothing was pushed to it. "
            + "Log its events first (push with to: offline or online_and_offline, or run its consumers), then backfill.");
    }
}
