using System.Globalization;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

// Drift samples of a view's source rows (IDriftSampleReader): the rows a profile reads, sampled inside DuckDB.
internal sealed partial class DuckDbOfflineEngine : IDriftSampleReader
{
    public async Task<IReadOnlyList<DriftSampleValues>> ReadDriftSamplesAsync(DriftSampleRequest request, CancellationToken cancellationToken = default)
    {
        var kinds = DriftSampleColumns.KindsOf(request);
        var source = new DuckDbViewSourceSql(request.View, Root(request.RepositoryRoot));
        var columns = new string[kinds.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = DuckDbViewSourceSql.FeatureAlias(i);
        }

        var inRange = $"{DuckDbViewSourceSql.EventColumn} >= {DriftInstant(request.Start)} AND {DuckDbViewSourceSql.EventColumn} < {DriftInstant(request.End)}";
        var samples = new DuckDbDriftSamples($"WITH {source.SourceCte("src", asofOrder: false)}", "src", inRange);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await DuckDbHistoricalRetrieval.SetUtcAsync(connection, cancellationToken);
        try
        {
            return await samples.ReadAsync(connection, request.View.Features, columns, kinds, request.SampleSize, request.Seed, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(
                EngineFailures.OfDuckDb(e.ErrorType) == EngineFailureKind.Unavailable ? ErrorCodes.SourceUnavailable : ErrorCodes.InvalidArgument,
                $"DuckDB cannot sample '{request.View.View.Name}' from source '{request.View.Source.Name}' for drift: {e.Message.Split('\n')[0]}",
                e);
        }
    }

    private static string DriftInstant(DateTimeOffset value) =>
        $"TIMESTAMPTZ {DuckDbSql.Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}";
}
