using System.Globalization;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// Reads <c>spend</c> back the two ways a user does, online (<see cref="FeatureStore.GetOnlineFeaturesAsync"/> on a
/// clock set to the instant) and offline (<c>granary get-historical</c> over the logged events), and compares every
/// user's values with <see cref="HostedEvent.Expected"/> over the events that were published.
/// </summary>
internal static class HostedStreamAssert
{
    private const int Users = 7;

    public static async Task OnlineEqualsReferenceAsync(string root, IReadOnlyList<HostedEvent> published, DateTimeOffset at)
    {
        await using var store = new FeatureStoreBuilder(root).UseTimeProvider(new FakeTimeProvider(at)).Build();
        var users = Enumerable.Range(0, Users).Select(u => (object?)(long)u).ToList();
        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["spend:sum_amount_1h", "spend:sum_amount_1d", "spend:count_lifetime"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users },
        });
        for (var u = 0; u < Users; u++)
        {
            var expected = HostedEvent.Expected(published, u, at);
            var hour = response["sum_amount_1h"].Values[u];
            var day = response["sum_amount_1d"].Values[u];
            var count = response["count_lifetime"].Values[u];
            var actual = (hour.IsNull ? (double?)null : hour.AsFloat64(), day.IsNull ? (double?)null : day.AsFloat64(), count.IsNull ? -1 : count.AsInt64());
            Assert.True(expected == actual, $"online, user {u} at {at:O}: expected {expected}, read {actual}");
        }
    }

    /// <summary>get-historical at each of <paramref name="instants"/> for every user, equal to the reference.</summary>
    public static async Task OfflineEqualsReferenceAsync(string root, IReadOnlyList<HostedEvent> published, params DateTimeOffset[] instants)
    {
        var rows = new List<string>();
        var expected = new Dictionary<int, (double?, double?, long)>();
        foreach (var at in instants)
        {
            for (var u = 0; u < Users; u++)
            {
                expected[rows.Count] = HostedEvent.Expected(published, u, at);
                rows.Add($"({u}::BIGINT, TIMESTAMPTZ '{at.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00', {rows.Count})");
            }
        }

        var output = Path.Combine(root, "training.csv");
        var result = await CliRunner.RunAsync(
            "get-historical", "--repo", root, "--output", output,
            "--entities-sql", $"SELECT * FROM (VALUES {string.Join(", ", rows)}) v(user_id, event_timestamp, row_id)",
            "--features", "spend:sum_amount_1h,spend:sum_amount_1d,spend:count_lifetime");
        Assert.True(result.Exit == 0, result.Err);

        var lines = await File.ReadAllLinesAsync(output);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (id, hour, day, count) = (Column("row_id"), Column("sum_amount_1h"), Column("sum_amount_1d"), Column("count_lifetime"));
        Assert.Equal(rows.Count, lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = int.Parse(cells[id], CultureInfo.InvariantCulture);
            var actual = (Number(cells[hour]), Number(cells[day]), (long)(Number(cells[count]) ?? -1));
            Assert.True(expected[row] == actual, $"offline, entity row {row}: expected {expected[row]}, got {actual} ({line})");
        }
    }

    /// <summary>
    /// <c>granary stream reset spend --to T</c> once every event is applied: it announces <paramref name="again"/>
    /// messages, <c>stream status</c> shows them undelivered, and consuming them counts each as a duplicate and changes
    /// no value, online or offline (at <paramref name="instants"/> and the last event).
    /// </summary>
    public static async Task ResetChangesNothingAsync(string root, IReadOnlyList<HostedEvent> published, string to, string sourceType, int again, params DateTimeOffset[] instants)
    {
        var reset = await CliRunner.RunAsync("stream", "reset", HostedStreamRepository.View, "--to", to, "--repo", root);
        Assert.True(reset.Exit == 0, reset.Err);
        Assert.Contains($"{again} messages will be delivered again to {HostedStreamRepository.View}", reset.Out, StringComparison.Ordinal);
        var status = await CliRunner.RunAsync("stream", "status", "--repo", root);
        Assert.Matches($@"{HostedStreamRepository.Source}\s+{sourceType}\s+{again}\s+0", status.Out);

        var counts = await StreamWait.RunUntilCaughtUpAsync(root);

        Assert.Equal(new Granary.Streams.StreamSourceCounts(HostedStreamRepository.Source, 0, again, 0, 0), counts);
        var end = HostedEvent.T0.AddSeconds(published.Count);
        await OnlineEqualsReferenceAsync(root, published, end);
        await OfflineEqualsReferenceAsync(root, published, [.. instants, end]);
    }

    private static double? Number(string cell) => cell.Length == 0 ? null : double.Parse(cell, CultureInfo.InvariantCulture);
}
