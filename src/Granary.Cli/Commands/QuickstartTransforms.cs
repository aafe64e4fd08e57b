using System.Globalization;
using DuckDB.NET.Data;
using Granary.Cli.Output;
using Granary.OnlineServing;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's last step: the derived ad-tech features (CTR, CVR, decayed LTV, RFM, engagement) served online,
/// an on-demand feature computed from them and the request's own data, and an A/B experiment of two versions of
/// <c>user_activity</c> (1.0.0 with ttl 2d against 1.1.0 with ttl 3d, from the governance step): units assigned,
/// their reads served, and the exposure report.
/// </summary>
internal static class QuickstartTransforms
{
    public const string Experiment = "activity_ttl_test";
    private const string ExperimentFile = "experiments.yaml";
    private const int Units = 2_000;

    private static readonly string[] Derived =
    [
        "user_ctr:ctr_7d", "user_ctr:cvr_7d", "user_value:ltv_decayed", "user_value:recency_days", "user_value:frequency_30d", "user_engagement:engagement_score",
    ];

    public static async Task RunAsync(FeatureStore store, string repository, long user, long staleUser, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"14. Derived and on-demand features, and an A/B experiment, for user {user}:");
        var derived = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
            Features = Derived,
        }, cancellationToken);
        var table = new TextTable("FEATURE", "VALUE", "STATUS");
        for (var column = 1; column < derived.FeatureNames.Count; column++)
        {
            table.AddRow(Derived[column - 1], derived.Results[column].Values[0].ToString(), derived.Results[column].Statuses[0].WireName());
        }

        output.WriteLine("   Derived views (derived_features.yaml: SQL over the logs and other views, materialized in dependency order):");
        Write(output, table);

        var onDemand = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user, user] },
            Features = ["bid_context:expected_cpm", "bid_context:engaged_night_owl", "bid_context:daypart", "bid_context:capped_bid_cpm"],
            RequestContext = new Dictionary<string, IReadOnlyList<object?>> { ["bid_cpm"] = [2.5, 14.0], ["hour"] = [3, 15] },
        }, cancellationToken);
        output.WriteLine("   On-demand view bid_context (on_demand_features.yaml), computed at read time from user_ctr, user_engagement and request_context:");
        var requests = new TextTable("REQUEST DATA", "EXPECTED_CPM", "ENGAGED_NIGHT_OWL", "DAYPART", "CAPPED_BID_CPM");
        string[] labels = ["bid_cpm=2.5, hour=3", "bid_cpm=14, hour=15"];
        for (var row = 0; row < labels.Length; row++)
        {
            requests.AddRow(
                labels[row],
                onDemand.Results[1].Values[row].ToString(),
                onDemand.Results[2].Values[row].ToString(),
                onDemand.Results[3].Values[row].ToString(),
                onDemand.Results[4].Values[row].ToString());
        }

        Write(output, requests);

        // A user last seen between 2 and 3 days ago shows the variants apart: past control's ttl, within treatment's.
        var between = await LastSeenBetweenAsync(Path.Combine(repository, "data", "user_activity.parquet"), TimeSpan.FromDays(2), TimeSpan.FromDays(3), cancellationToken);
        await RunExperimentAsync(store, repository, between ?? staleUser, between is null ? "inactive for days" : "last seen 2 to 3 days ago", output, cancellationToken);
    }

    /// <summary>A user whose newest activity snapshot is between <paramref name="newer"/> and <paramref name="older"/> old; null when there is none.</summary>
    private static async Task<long?> LastSeenBetweenAsync(string activityFile, TimeSpan newer, TimeSpan older, CancellationToken cancellationToken)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var now = DateTime.UtcNow;
        var file = activityFile.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT user_id FROM read_parquet('{file}') GROUP BY user_id
            HAVING max(event_timestamp) BETWEEN TIMESTAMP '{now - older + TimeSpan.FromHours(1):yyyy-MM-dd HH:mm:ss}' AND TIMESTAMP '{now - newer - TimeSpan.FromHours(1):yyyy-MM-dd HH:mm:ss}'
            ORDER BY user_id LIMIT 1
            """);
        return await command.ExecuteScalarAsync(cancellationToken) is { } found and not DBNull ? Convert.ToInt64(found, CultureInfo.InvariantCulture) : null;
    }

    private static async Task RunExperimentAsync(FeatureStore store, string repository, long user, string seen, TextWriter output, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(repository, ExperimentFile), $"""
            # An A/B test of two versions of user_activity: 1.0.0 (ttl 2d) and 1.1.0 (ttl 3d, from the governance step).
            # Each request names the experiment and a unit; the unit's variant decides the version it reads.
            experiments:
              - name: {Experiment}
                feature_view: {QuickstartGovernance.View}
                variants:
                  - {"{"}name: control, version: 1.0.0, share: 0.5{"}"}
                  - {"{"}name: treatment, version: 1.1.0, share: 0.5{"}"}

            """, cancellationToken);
        await store.ApplyAsync(cancellationToken);
        output.WriteLine($"   Experiment {Experiment} ({ExperimentFile}): control reads {QuickstartGovernance.View} 1.0.0 (ttl 2d), treatment 1.1.0 (ttl 3d).");

        // A store of its own, disposed before the report, so every exposure it served has been written.
        var shown = new TextTable("UNIT", "VARIANT", "USER", "CTR_7D", "STATUS");
        var variants = new HashSet<string>(StringComparer.Ordinal);
        await using (var serving = new FeatureStoreBuilder(repository).Build())
        {
            for (var i = 0; i < Units; i++)
            {
                var unit = string.Create(CultureInfo.InvariantCulture, $"visitor-{i}");
                var response = await serving.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
                    Features = [QuickstartGovernance.Feature],
                    Experiment = Experiment,
                    UnitId = unit,
                }, cancellationToken);
                var variant = response.Experiment!.Variant;
                if (variants.Add(variant))
                {
                    var result = response.Results[1];
                    shown.AddRow(unit, variant, user.ToString(CultureInfo.InvariantCulture), result.Values[0].ToString(), result.Statuses[0].WireName());
                }
            }
        }

        output.WriteLine($"   The first unit served each variant, reading user {user} ({seen}):");
        Write(output, shown);
        var report = await store.GetExperimentReportAsync(Experiment, cancellationToken: cancellationToken);
        output.WriteLine($"   Exposures of {Units:N0} units (granary experiments report {Experiment}):");
        using (var text = new StringWriter())
        {
            ExperimentCommands.WriteReport(text, report);
            foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("     " + line.TrimEnd('\r'));
            }
        }
    }

    private static void Write(TextWriter output, TextTable table)
    {
        using var text = new StringWriter();
        table.Write(text);
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("     " + line.TrimEnd('\r'));
        }
    }
}
