using System.Globalization;
using DuckDB.NET.Data;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Drift samples read by DuckDB from one relation (a view's source rows, a saved dataset's file): a count of every
/// column's non-null values in one scan, then per numeric column a reservoir sample of its non-null values
/// (<c>USING SAMPLE reservoir(N ROWS) REPEATABLE (seed)</c>) and per categorical column its counts per value, the
/// most frequent <see cref="DriftSampling.Categories"/> one by one and the rest as <see cref="DriftSampling.OtherCategory"/>.
/// </summary>
/// <param name="with">A <c>WITH</c> clause the statements start with, or empty.</param>
/// <param name="from">The relation after <c>FROM</c>.</param>
/// <param name="where">The condition the rows must meet.</param>
internal sealed class DuckDbDriftSamples(string with, string from, string where)
{
    /// <summary>Reads one sample per column; <paramref name="columns"/> are SQL expressions over the relation, named by <paramref name="names"/>.</summary>
    public async Task<DriftSampleValues[]> ReadAsync(
        DuckDBConnection connection, IReadOnlyList<string> names, IReadOnlyList<string> columns, IReadOnlyList<ProfileKind> kinds, int sampleSize, int seed, CancellationToken cancellationToken)
    {
        var counts = new long[columns.Count];
        if (columns.Count > 0)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"{with}\nSELECT {string.Join(", ", columns.Select(c => $"count({c})"))} FROM {from} WHERE {where}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            }
        }

        var samples = new DriftSampleValues[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            IReadOnlyList<double> values = [];
            IReadOnlyList<CategoryCount> categories = [];
            if (counts[i] > 0 && kinds[i] == ProfileKind.Numeric)
            {
                values = await ReadValuesAsync(connection, Sample(columns[i], sampleSize, seed), cancellationToken);
            }
            else if (counts[i] > 0 && kinds[i] == ProfileKind.Categorical)
            {
                categories = await ReadCategoriesAsync(connection, Categories(columns[i]), cancellationToken);
            }

            samples[i] = new DriftSampleValues(names[i], kinds[i], counts[i], values, categories);
        }

        return samples;
    }

    // The reservoir is drawn after the filter (the inner query), so it samples the non-null values in range only.
    private string Sample(string column, int size, int seed) => $"""
        {with}
        SELECT v FROM (SELECT CAST({column} AS DOUBLE) AS v FROM {from} WHERE ({where}) AND {column} IS NOT NULL) AS vals
        USING SAMPLE reservoir({size} ROWS) REPEATABLE ({seed})
        """;

    private string Categories(string column) => $"""
        {with}
        SELECT CASE WHEN rank <= {DriftSampling.Categories} THEN value ELSE {DuckDbSql.Literal(DriftSampling.OtherCategory)} END AS category, CAST(sum(n) AS BIGINT) AS n
        FROM (
            SELECT value, n, row_number() OVER (ORDER BY n DESC, value) AS rank
            FROM (SELECT CAST({column} AS VARCHAR) AS value, count(*) AS n FROM {from} WHERE ({where}) AND {column} IS NOT NULL GROUP BY 1) AS g
        ) AS ranked
        GROUP BY 1
        ORDER BY n DESC, category
        """;

    private static async Task<double[]> ReadValuesAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        var values = new List<double>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetDouble(0));
        }

        return [.. values];
    }

    private static async Task<List<CategoryCount>> ReadCategoriesAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        var categories = new List<CategoryCount>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            categories.Add(new CategoryCount(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
        }

        return categories;
    }
}
