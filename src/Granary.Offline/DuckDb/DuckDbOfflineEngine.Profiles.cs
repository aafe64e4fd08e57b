using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.DuckDb;

// Profiles of a view's source rows (IProfiler), in at most three scans (DuckDbProfileQuery).
internal sealed partial class DuckDbOfflineEngine : IProfiler
{
    public async Task<IReadOnlyList<FeatureProfile>> ProfileAsync(ProfileRequest request, CancellationToken cancellationToken = default)
    {
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        var features = ProfileColumns.For(request);
        var query = new DuckDbProfileQuery(request, features);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await DuckDbHistoricalRetrieval.SetUtcAsync(connection, cancellationToken);
        try
        {
            await ReadAsync(connection, query.FirstPass(), reader => ProfileColumns.ReadFirstPass(reader, features), cancellationToken);
            foreach (var feature in features)
            {
                // HyperLogLog: an estimate however many values there are.
                feature.DistinctApproximate = true;
            }

            var numeric = Indexes(features, f => f.Layout is not null);
            if (query.SecondPass(numeric) is { } second)
            {
                await ReadAsync(connection, second, reader => ReadSecondPass(reader, features, numeric), cancellationToken);
            }

            var categorical = Indexes(features, f => f.Kind == ProfileKind.Categorical && f.NonNull > 0);
            if (query.Categories(categorical) is { } categories)
            {
                await ReadCategoriesAsync(connection, categories, features, cancellationToken);
            }
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(
                EngineFailures.OfDuckDb(e.ErrorType) == EngineFailureKind.Unavailable ? ErrorCodes.SourceUnavailable : ErrorCodes.InvalidArgument,
                $"DuckDB cannot profile '{request.View.View.Name}' from source '{request.View.Source.Name}': {e.Message.Split('\n')[0]}",
                e);
        }

        return Array.ConvertAll(features, f => f.Assemble());
    }

    private static List<int> Indexes(FeatureAggregates[] features, Func<FeatureAggregates, bool> selected)
    {
        var indexes = new List<int>();
        for (var i = 0; i < features.Length; i++)
        {
            if (selected(features[i]))
            {
                indexes.Add(i);
            }
        }

        return indexes;
    }

    private static void ReadSecondPass(DbDataReader reader, FeatureAggregates[] features, List<int> numeric)
    {
        var column = 0;
        foreach (var i in numeric)
        {
            var feature = features[i];
            var bins = ProfileColumns.Longs(reader.GetValue(column++));
            var counts = ProfileColumns.Longs(reader.GetValue(column++));
            feature.BinCounts = ProfileColumns.BinCounts(feature.Layout!.Value, bins, counts);
            feature.Sample = reader.IsDBNull(column) ? [] : ProfileColumns.Doubles(reader.GetValue(column));
            column++;
            if (!reader.IsDBNull(column))
            {
                feature.Distinct = Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);
                feature.DistinctApproximate = false;
            }

            column++;
        }
    }

    private static async Task ReadCategoriesAsync(DuckDBConnection connection, string sql, FeatureAggregates[] features, CancellationToken cancellationToken)
    {
        var categories = new Dictionary<int, List<CategoryCount>>();
        var distinctValues = new Dictionary<int, long>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var feature = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            var list = categories.TryGetValue(feature, out var found) ? found : categories[feature] = [];
            list.Add(new CategoryCount(reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
            distinctValues[feature] = Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
        }

        foreach (var (feature, list) in categories)
        {
            features[feature].Categories = list;
        }

        // The groups, counted before the limit: a categorical feature's distinct count is exact.
        foreach (var (feature, distinct) in distinctValues)
        {
            features[feature].Distinct = distinct;
            features[feature].DistinctApproximate = false;
        }
    }

    private static async Task ReadAsync(DuckDBConnection connection, string sql, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
