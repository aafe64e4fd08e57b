using DuckDB.NET.Data;
using Granary.Cli.Output;
using Granary.OnlineServing;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's online steps: materialize the demo data, then look up an active user, a user whose activity is
/// older than the view's ttl, and a user that does not exist, as a model would at serving time.
/// </summary>
internal static class QuickstartOnline
{
    public const long UnknownUser = 999_999;

    /// <summary>Runs steps 5 and 6; returns the active user, for the serving step, and the inactive one.</summary>
    public static async Task<(long Active, long Stale)> RunAsync(FeatureStore store, TextWriter output, CancellationToken cancellationToken)
    {
        // All of history, so that users inactive for longer than a view's ttl are in the store with their old values.
        output.WriteLine("5. Materializing the latest value per entity into the online store (materialize 1970-01-01 now)...");
        var results = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, cancellationToken: cancellationToken);
        foreach (var r in results)
        {
            output.WriteLine($"   {r.View,-16} {r.Rows,7:N0} entities  {r.RowsPerSecond,10:N0} rows/s  watermark {r.End:u}");
        }

        output.WriteLine();
        var (active, stale) = await PickUsersAsync(Path.Combine(store.RepositoryRoot, "data", "user_activity.parquet"), cancellationToken);
        output.WriteLine($"6. Online lookups for users {active} (active today), {stale} (inactive for days) and {UnknownUser} (unknown):");
        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [active, stale, UnknownUser] },
            Features = ["user_activity:ctr_7d", "user_activity:clicks_7d", "user_profile:age", "user_profile:country"],
        }, cancellationToken);
        var table = new TextTable("USER", "FEATURE", "VALUE", "STATUS", "EVENT TIME");
        for (var row = 0; row < 3; row++)
        {
            for (var column = 1; column < response.FeatureNames.Count; column++)
            {
                var result = response.Results[column];
                var at = result.EventTimestamps[row] == 0 ? "" : $"{Core.Time.UtcMicros.ToDateTimeOffset(result.EventTimestamps[row]):yyyy-MM-dd HH:mm}";
                table.AddRow(column == 1 ? response.Results[0].Values[row].ToString() : "", response.FeatureNames[column], result.Values[row].ToString(), result.Statuses[row].WireName(), at);
            }
        }

        using (var text = new StringWriter())
        {
            table.Write(text);
            foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("   " + line.TrimEnd('\r'));
            }
        }

        var address = $"user_activity:ctr_7d:{active}";
        var single = await store.GetOnlineValueAsync(address, cancellationToken);
        output.WriteLine($"   By address: {address} = {single.Value} ({single.Status.WireName()})");
        output.WriteLine("   user_activity has ttl 2d: a value older than that comes back OUTSIDE_MAX_AGE, not as a stale PRESENT.");
        return (active, stale);
    }

    /// <summary>The most active user of the last snapshot, and the user whose last snapshot is oldest.</summary>
    private static async Task<(long Active, long Stale)> PickUsersAsync(string activityFile, CancellationToken cancellationToken)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var file = activityFile.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"""
            WITH latest AS (SELECT user_id, max(event_timestamp) AS last_seen, arg_max(impressions_7d, event_timestamp) AS recent FROM read_parquet('{file}') GROUP BY user_id)
            SELECT (SELECT user_id FROM latest ORDER BY last_seen DESC, recent DESC, user_id LIMIT 1),
                   (SELECT user_id FROM latest ORDER BY last_seen, user_id LIMIT 1)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
