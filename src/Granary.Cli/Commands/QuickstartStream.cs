using DuckDB.NET.Data;
using Granary.Cli.Output;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Push;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's live stream: clicks of one user pushed to <c>clicks_push</c> while it runs (a first batch, then a
/// second with a repeated click and one later than the allowed lateness), <c>user_clicks</c> read online after each,
/// and the same features in a training set at the instant of the second read, computed from the logged clicks.
/// </summary>
internal static class QuickstartStream
{
    public const string Source = "clicks_push";

    /// <summary>The features shown, in the order printed.</summary>
    public static readonly string[] Features = ["user_clicks:count_1h", "user_clicks:count_1d"];

    // Pushed impression ids start far above the generated ones, so they never repeat a click of the data set.
    private const long FirstPushedId = 1_000_000_000;

    /// <summary>Runs step 7 at the instants of <paramref name="time"/>, the store's clock; returns what it pushed and read.</summary>
    public static async Task<QuickstartStreamResult> RunAsync(FeatureStore store, TimeProvider time, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("7. A live stream: pushing clicks to clicks_push while reading user_clicks online and in a training set...");
        var now = time.GetUtcNow();
        var user = await PickQuietUserAsync(Path.Combine(store.RepositoryRoot, "data", "clicks.parquet"), now, cancellationToken);
        var first = new PushedClick[] { new(FirstPushedId, now.AddMinutes(-40)), new(FirstPushedId + 1, now.AddMinutes(-15)), new(FirstPushedId + 2, now.AddMinutes(-2)) };
        // Two new clicks, the last click of the first batch delivered again, and one from two hours ago.
        var second = new PushedClick[] { new(FirstPushedId + 3, now.AddMinutes(-1)), new(FirstPushedId + 2, now.AddMinutes(-2)), new(FirstPushedId + 4, now), new(FirstPushedId + 5, now.AddHours(-2)) };

        output.WriteLine($"   User {user} (no click in the last day of data/clicks.parquet, so its stream state starts with these pushes)");
        var pushedFirst = await PushAsync(store, user, first, cancellationToken);
        output.WriteLine($"   Pushed {first.Length} clicks from the last 40 minutes: {pushedFirst.OnlineWritten} counted, late_rows {pushedFirst.LateRows}");
        var before = await ReadOnlineAsync(store, user, cancellationToken);
        var pushedSecond = await PushAsync(store, user, second, cancellationToken);
        output.WriteLine($"   Pushed {second.Length} more: 2 new, 1 repeat of an earlier impression_id (counted once), 1 from 2 hours ago: {pushedSecond.OnlineWritten} counted, late_rows {pushedSecond.LateRows}");
        var after = await ReadOnlineAsync(store, user, cancellationToken);
        var readAt = time.GetUtcNow();
        var training = await ReadTrainingSetAsync(store, user, readAt, cancellationToken);

        var table = new TextTable("FEATURE", "ONLINE BEFORE", "ONLINE AFTER", $"TRAINING SET AT {readAt:HH:mm:ss}");
        for (var f = 0; f < Features.Length; f++)
        {
            table.AddRow(Features[f], Show(before[f]), Show(after[f]), Show(training[f]));
        }

        using (var text = new StringWriter())
        {
            table.Write(text);
            foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("   " + line.TrimEnd('\r'));
            }
        }

        output.WriteLine("   Online values are computed at the read from the aggregate state; the training set's from the logged clicks in DuckDB.");
        return new QuickstartStreamResult(user, [first, second], [pushedFirst.LateRows, pushedSecond.LateRows], before, after, training, readAt);
    }

    private static string Show(long? value) => value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "NOT_FOUND";

    private static Task<PushResult> PushAsync(FeatureStore store, long user, PushedClick[] clicks, CancellationToken cancellationToken) =>
        store.PushAsync(new PushRequest
        {
            PushSourceName = Source,
            To = PushTarget.OnlineAndOffline,
            Columns = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["impression_id"] = [.. clicks.Select(c => (object?)c.ImpressionId)],
                ["user_id"] = [.. clicks.Select(_ => (object?)user)],
                ["ad_id"] = [.. clicks.Select(c => (object?)(c.ImpressionId % 50 + 1))],
                ["event_timestamp"] = [.. clicks.Select(c => (object?)c.At)],
            },
        }, cancellationToken);

    /// <summary>The features of <paramref name="user"/>, null where the entity is not found.</summary>
    private static async Task<long?[]> ReadOnlineAsync(FeatureStore store, long user, CancellationToken cancellationToken)
    {
        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
            Features = Features,
        }, cancellationToken);
        var values = new long?[Features.Length];
        for (var f = 0; f < values.Length; f++)
        {
            // Results[0] is the join key; the features follow in request order.
            var column = response.Results[f + 1];
            values[f] = column.Statuses[0] == FeatureStatus.Present && !column.Values[0].IsNull ? column.Values[0].AsInt64() : null;
        }

        return values;
    }

    /// <summary>The features of <paramref name="user"/> at <paramref name="at"/>, from get-historical over one entity row.</summary>
    private static async Task<long?[]> ReadTrainingSetAsync(FeatureStore store, long user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var micros = Core.Time.UtcMicros.From(at);
        var entities = EntityTable.FromQuery($"SELECT {user}::BIGINT AS user_id, make_timestamptz({micros}::BIGINT) AS event_timestamp");
        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = entities, Features = Features, FullFeatureNames = true }, cancellationToken);
        await using var rows = await result.ReadAsync(cancellationToken);
        var values = new long?[Features.Length];
        if (await rows.Reader.ReadAsync(cancellationToken))
        {
            for (var f = 0; f < values.Length; f++)
            {
                var ordinal = rows.Reader.GetOrdinal(Features[f].Replace(":", "__", StringComparison.Ordinal));
                values[f] = rows.Reader.IsDBNull(ordinal) ? null : Convert.ToInt64(rows.Reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    /// <summary>The smallest user id without a click in the day before <paramref name="now"/> (an hop's margin included).</summary>
    private static async Task<long> PickQuietUserAsync(string clicksFile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var file = clicksFile.Replace("'", "''", StringComparison.Ordinal);
        var since = Core.Time.UtcMicros.From(now.AddDays(-1).AddMinutes(-2));
        command.CommandText = $"""
            SELECT coalesce(
                (SELECT min(user_id) FROM read_parquet('{file}')
                 WHERE user_id NOT IN (SELECT user_id FROM read_parquet('{file}') WHERE event_timestamp >= make_timestamptz({since}::BIGINT))),
                (SELECT max(user_id) + 1 FROM read_parquet('{file}')))
            """;
        var found = await command.ExecuteScalarAsync(cancellationToken);
        return found is null or DBNull ? 1 : Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture);
    }
}
