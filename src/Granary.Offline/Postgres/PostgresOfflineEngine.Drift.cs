using System.Diagnostics;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;
using Npgsql;

namespace Granary.Offline.Postgres;

// Drift samples of a view's source rows (IDriftSampleReader): the rows a profile reads, sampled inside PostgreSQL.
internal sealed partial class PostgresOfflineEngine : IDriftSampleReader
{
    public async Task<IReadOnlyList<DriftSampleValues>> ReadDriftSamplesAsync(DriftSampleRequest request, CancellationToken cancellationToken = default)
    {
        var kinds = DriftSampleColumns.KindsOf(request);
        var query = new PostgresDriftSampleQuery(request);
        var what = $"the drift sample of '{request.View.View.Name}'";
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        try
        {
            // Built before connecting: a source that cannot be read here fails without touching the database.
            var counts = query.Counts();
            connection = await OpenInUtcAsync(cancellationToken);
            var nonNull = new long[kinds.Length];
            await DriftReadAsync(connection, request, counts, reader =>
            {
                for (var i = 0; i < nonNull.Length; i++)
                {
                    nonNull[i] = reader.GetInt64(i);
                }
            }, cancellationToken);

            var samples = new DriftSampleValues[kinds.Length];
            for (var i = 0; i < kinds.Length; i++)
            {
                var values = new List<double>();
                var categories = new List<CategoryCount>();
                if (nonNull[i] > 0 && kinds[i] == ProfileKind.Numeric)
                {
                    await DriftReadAsync(connection, request, query.Sample(i), reader => values.Add(reader.GetDouble(0)), cancellationToken);
                }
                else if (nonNull[i] > 0 && kinds[i] == ProfileKind.Categorical)
                {
                    await DriftReadAsync(connection, request, query.Categories(i), reader =>
                        categories.Add(new CategoryCount(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture))), cancellationToken);
                }

                samples[i] = new DriftSampleValues(request.View.Features[i], kinds[i], nonNull[i], [.. values], categories);
            }

            return samples;
        }
        catch (NpgsqlException e)
        {
            throw ComputeFailed(e, what, started);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    // Calls readRow for every row of the statement's result.
    private static async Task DriftReadAsync(NpgsqlConnection connection, DriftSampleRequest request, string sql, Action<NpgsqlDataReader> readRow, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("start", request.Start.ToUniversalTime());
        command.Parameters.AddWithValue("end", request.End.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            readRow(reader);
        }
    }
}
