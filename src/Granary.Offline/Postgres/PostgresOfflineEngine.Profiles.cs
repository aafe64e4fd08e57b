using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;
using Npgsql;

namespace Granary.Offline.Postgres;

// Profiles of a view's source rows (IProfiler): exact counts and percentiles, in four scans (PostgresProfileQuery).
internal sealed partial class PostgresOfflineEngine : IProfiler
{
    public async Task<IReadOnlyList<FeatureProfile>> ProfileAsync(ProfileRequest request, CancellationToken cancellationToken = default)
    {
        var features = ProfileColumns.For(request);
        var query = new PostgresProfileQuery(request, features);
        var what = $"the profile of '{request.View.View.Name}'";
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        try
        {
            // Built before connecting: a source that cannot be read here fails without touching the database.
            var first = query.FirstPass();
            connection = await OpenInUtcAsync(cancellationToken);
            await ReadAsync(connection, request, first, reader => ProfileColumns.ReadFirstPass(reader, features), cancellationToken);

            var numeric = new List<int>();
            var categorical = new List<int>();
            for (var i = 0; i < features.Length; i++)
            {
                if (features[i].Layout is not null)
                {
                    numeric.Add(i);
                }
                else if (features[i].Kind == ProfileKind.Categorical && features[i].NonNull > 0)
                {
                    categorical.Add(i);
                }
            }

            if (query.Bins(numeric) is { } bins)
            {
                var counts = numeric.ToDictionary(i => i, i => new long[features[i].Layout!.Value.Bins]);
                await ReadAsync(connection, request, bins, reader =>
                {
                    do
                    {
                        counts[reader.GetInt32(0)][reader.GetInt32(1)] = reader.GetInt64(2);
                    }
                    while (reader.Read());
                }, cancellationToken);
                foreach (var (i, binCounts) in counts)
                {
                    features[i].BinCounts = binCounts;
                }

                await ReadAsync(connection, request, query.Samples(numeric), reader =>
                {
                    for (var c = 0; c < numeric.Count; c++)
                    {
                        features[numeric[c]].Sample = reader.IsDBNull(c) ? [] : ProfileColumns.Doubles(reader.GetValue(c));
                    }
                }, cancellationToken);
            }

            if (query.Categories(categorical) is { } categories)
            {
                var found = categorical.ToDictionary(i => i, _ => new List<CategoryCount>());
                await ReadAsync(connection, request, categories, reader =>
                {
                    do
                    {
                        found[reader.GetInt32(0)].Add(new CategoryCount(reader.GetString(1), reader.GetInt64(2)));
                    }
                    while (reader.Read());
                }, cancellationToken);
                foreach (var (i, list) in found)
                {
                    features[i].Categories = list;
                }
            }
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

        return Array.ConvertAll(features, f => f.Assemble());
    }

    private static async Task ReadAsync(NpgsqlConnection connection, ProfileRequest request, string sql, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("start", request.Start.ToUniversalTime());
        command.Parameters.AddWithValue("end", request.End.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
