using System.Text.Json;
using Granary.Consistency;
using Granary.Server.Http.Monitoring;

namespace Granary.Tests.Quality.Consistency;

public sealed class ConsistencyJsonTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Report_is_written_with_rates_and_examples()
    {
        var tally = new ConsistencyTally(["clicks", "name"]);
        for (var i = 0; i < 8; i++)
        {
            var entity = new Dictionary<string, object?> { ["user_id"] = (long)i };
            var offlineClicks = i < 6 ? (object)(long)i : (long)i + 100;
            var served = i == 7 ? new object?[] { null, "x" } : [(long)i, "x"];
            tally.Add(entity, Start.AddMinutes(i), served, [i != 7, true], [offlineClicks, null]);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ConsistencyJson.Write(writer, tally.Build("users", Start, Start.AddDays(1)));
        }

        using var json = JsonDocument.Parse(buffer.ToArray());
        var root = json.RootElement;
        Assert.Equal("users", root.GetProperty("view").GetString());
        Assert.Equal(Start, root.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(8, root.GetProperty("rows").GetInt64());

        var clicks = root.GetProperty("features")[0];
        Assert.Equal("clicks", clicks.GetProperty("name").GetString());
        Assert.Equal(8, clicks.GetProperty("compared").GetInt64());
        Assert.Equal(6, clicks.GetProperty("matches").GetInt64());
        Assert.Equal(1.0 / 8, clicks.GetProperty("mismatch_rate").GetDouble(), 12);
        Assert.Equal(1.0 / 8, clicks.GetProperty("missing_rate").GetDouble(), 12);
        Assert.Equal(0.0, clicks.GetProperty("extra_rate").GetDouble());
        var examples = clicks.GetProperty("examples");
        Assert.Equal(2, examples.GetArrayLength());
        Assert.Equal(6, examples[0].GetProperty("entity").GetProperty("user_id").GetInt64());
        Assert.Equal(Start.AddMinutes(6), examples[0].GetProperty("served_at").GetDateTimeOffset());
        Assert.Equal(6, examples[0].GetProperty("served").GetInt64());
        Assert.Equal(106, examples[0].GetProperty("offline").GetInt64());
        Assert.Equal(JsonValueKind.Null, examples[1].GetProperty("served").ValueKind);

        var name = root.GetProperty("features")[1];
        Assert.Equal(0.0, name.GetProperty("consistency").GetDouble());
        Assert.Equal(1.0, name.GetProperty("extra_rate").GetDouble());
        Assert.Equal(5, name.GetProperty("examples").GetArrayLength());
        Assert.Equal(((6.0 / 8) + 0.0) / 2, root.GetProperty("consistency").GetDouble(), 12);
    }

    [Fact]
    public void Nothing_compared_writes_null_consistency()
    {
        var tally = new ConsistencyTally(["clicks"]);
        tally.Add(new Dictionary<string, object?> { ["user_id"] = 1L }, Start, [null], [false], [null]);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ConsistencyJson.Write(writer, tally.Build("users", Start, Start.AddDays(1)));
        }

        using var json = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("consistency").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("features")[0].GetProperty("mismatch_rate").ValueKind);
    }
}
