using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Client;
using Granary.Client.Http;
using Granary.Contracts.Errors;

namespace Granary.Tests.Client;

/// <summary>
/// The HTTP answer reader on hand-written answers: whatever order the server puts the columns, the top-level fields
/// or a result's fields in, each requested feature gets its own values, statuses and event times; numbers, booleans,
/// strings, lists and nulls come back as they were written; a malformed answer is one client exception.
/// </summary>
public sealed class OnlineFeaturesResponseReaderTests
{
    private static readonly string[] Features = ["a:x", "a:y", "b:x", "b:long_name_é", "c:z"];

    private static readonly string[] StatusNames = ["PRESENT", "NOT_FOUND", "NULL_VALUE", "OUTSIDE_MAX_AGE", "SOMETHING_NEW"];

    private static readonly FeatureStatus[] Statuses = [FeatureStatus.Present, FeatureStatus.NotFound, FeatureStatus.NullValue, FeatureStatus.OutsideMaxAge, FeatureStatus.Unknown];

    [Property(MaxTest = 300)]
    public Property Every_feature_gets_its_own_column_whatever_order_the_answer_is_in() =>
        Prop.ForAll(
            (from permutation in Gen.Choose(0, 119)
             from kinds in Gen.ArrayOf(Gen.Choose(0, 4), Features.Length)
             from statuses in Gen.ArrayOf(Gen.Choose(0, 4), Features.Length)
             from fieldOrder in Gen.Choose(0, 7)
             select (Order: Permutation(permutation), Kinds: kinds, Statuses: statuses, FieldOrder: fieldOrder)).ToArbitrary(),
            answerCase =>
            {
                var (columnOrder, kinds, statuses, fieldOrder) = answerCase;

                // The reference: column f of the request holds value Value(f, kind) with status statuses[f] and the
                // event time f hours after 2026-01-01; the answer lists the columns in columnOrder, a join key first.
                var names = new List<string> { "\"user_id\"" };
                var results = new List<string> { Result(fieldOrder, "[42]", "\"PRESENT\"", "\"1970-01-01T00:00:00Z\"") };
                foreach (var f in columnOrder)
                {
                    names.Add(Quoted(FullName(Features[f])));
                    results.Add(Result(fieldOrder, $"[{ValueJson(f, kinds[f])}]", Quoted(StatusNames[statuses[f]]), Quoted(Time(f).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))));
                }

                var metadata = $"\"metadata\": {{\"feature_names\": [{string.Join(", ", names)}]}}";
                var resultsJson = $"\"results\": [{string.Join(", ", results)}]";
                var json = (fieldOrder & 1) == 0 ? $"{{{metadata}, {resultsJson}}}" : $"{{\"status\": \"ok\", {resultsJson}, {metadata}}}";

                var answer = OnlineFeaturesResponseReader.Read(Encoding.UTF8.GetBytes(json), Request());

                var ok = answer.Features.SequenceEqual(Features);
                for (var f = 0; f < Features.Length; f++)
                {
                    var expected = Statuses[statuses[f]] == FeatureStatus.Present ? ExpectedValue(f, kinds[f]) : null;
                    ok &= Equals(expected, answer.GetValue(0, Features[f]))
                        && answer.GetStatus(0, Features[f]) == Statuses[statuses[f]]
                        && answer.GetEventTimestamp(0, Features[f]) == Time(f);
                }

                return ok;
            });

    [Fact]
    public void Typed_accessors_read_numbers_booleans_strings_and_lists_and_null_is_null()
    {
        const string json = """
            {"metadata": {"feature_names": ["user_id", "v__i", "v__d", "v__b", "v__s", "v__l", "v__n"]},
             "results": [
               {"values": [1, 2], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": [7, -9223372036854775808], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": [2.5, 3], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": [true, false], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": ["caf\u00e9", ""], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": [[1, 2.5, null, "x"], []], "statuses": ["PRESENT", "PRESENT"], "event_timestamps": [null, null]},
               {"values": [null, null], "statuses": ["NULL_VALUE", "PRESENT"], "event_timestamps": [null, null]}
             ]}
            """;
        var request = OnlineFeaturesRequest.ForFeatures("v:i", "v:d", "v:b", "v:s", "v:l", "v:n").WithEntityColumn("user_id", [1L, 2L]);

        var answer = OnlineFeaturesResponseReader.Read(Encoding.UTF8.GetBytes(json), request);

        Assert.Equal(7L, answer.GetInt64(0, "v:i"));
        Assert.Equal(long.MinValue, answer.GetInt64(1, "v:i"));
        Assert.Equal(7.0, answer.GetDouble(0, "v:i"));
        Assert.Equal(2.5, answer.GetDouble(0, "v:d"));
        Assert.Equal(3L, answer.GetValue(1, "v:d"));
        Assert.True(answer.GetBoolean(0, "v:b"));
        Assert.False(answer.GetBoolean(1, "v:b"));
        Assert.Equal("café", answer.GetString(0, "v:s"));
        Assert.Equal("", answer.GetString(1, "v:s"));
        Assert.Equal(new object?[] { 1L, 2.5, null, "x" }, (object?[])answer.GetValue(0, "v:l")!);
        Assert.Empty((object?[])answer.GetValue(1, "v:l")!);
        Assert.Null(answer.GetDouble(0, "v:n"));
        Assert.Null(answer.GetString(1, "v:n"));
        Assert.Null(answer.GetValue(1, "v:n"));
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<GranaryClientException>(() => answer.GetInt64(0, "v:d")).Code);
        Assert.Throws<GranaryClientException>(() => answer.GetDouble(0, "v:s"));
        Assert.Throws<GranaryClientException>(() => answer.GetBoolean(0, "v:i"));
        Assert.Throws<GranaryClientException>(() => answer.GetString(0, "v:b"));
    }

    [Fact]
    public void A_value_whose_status_is_not_present_reads_as_null_even_when_the_answer_carries_one()
    {
        const string json = """
            {"metadata": {"feature_names": ["v__f"]},
             "results": [{"values": [5.5], "statuses": ["OUTSIDE_MAX_AGE"], "event_timestamps": ["2026-01-01T00:00:00Z"]}]}
            """;

        var answer = OnlineFeaturesResponseReader.Read(Encoding.UTF8.GetBytes(json), OnlineFeaturesRequest.ForFeatures("v:f").AddEntity(("id", 1L)));

        Assert.Null(answer.GetDouble(0, "v:f"));
        Assert.Equal(FeatureStatus.OutsideMaxAge, answer.GetStatus(0, "v:f"));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), answer.GetEventTimestamp(0, "v:f"));
    }

    [Fact]
    public void Escaped_feature_names_and_a_feature_asked_for_twice_are_matched()
    {
        // "v__\u0066" is v__f escaped; the server answers a feature asked for twice with two columns.
        const string json = """
            {"metadata": {"feature_names": ["v__\u0066", "v__f", "v__g"]},
             "results": [
               {"values": [1], "statuses": ["PRESENT"]},
               {"values": [2], "statuses": ["PRESENT"]},
               {"values": [3], "statuses": ["PRESENT"]}
             ]}
            """;
        var request = OnlineFeaturesRequest.ForFeatures("v:g", "v:f", "v:f").AddEntity(("id", 1L));

        var answer = OnlineFeaturesResponseReader.Read(Encoding.UTF8.GetBytes(json), request);

        Assert.Equal(["v:g", "v:f", "v:f"], answer.Features);
        Assert.Equal(3L, answer.GetInt64(0, "v:g"));
        Assert.Equal(1L, answer.GetInt64(0, "v:f"));
        Assert.Null(answer.GetEventTimestamp(0, "v:g"));
    }

    [Theory]
    [InlineData("""{"metadata": {"feature_names": ["v__g"]}, "results": [{"values": [1], "statuses": ["PRESENT"]}]}""", "no column for feature 'v:f'")]
    [InlineData("""{"results": [{"values": [1], "statuses": ["PRESENT"]}]}""", "lacks metadata.feature_names")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}}""", "lacks metadata.feature_names or results")]
    [InlineData("""{"metadata": {"feature_names": ["v__f", "v__g"]}, "results": [{"values": [1], "statuses": ["PRESENT"]}]}""", "not one result per name")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"statuses": ["PRESENT"]}]}""", "lacks values")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"values": [1]}]}""", "lacks statuses")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"values": [], "statuses": []}]}""", "values has 0 entries for the 1 entities")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"values": [1, 2], "statuses": ["PRESENT"]}]}""", "values has more than the 1 entities")]
    [InlineData("""{"metadata": {"feature_names": [7]}, "results": [{"values": [1], "statuses": ["PRESENT"]}]}""", "metadata.feature_names: expected String")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"values": [{"a": 1}], "statuses": ["PRESENT"]}]}""", "not a number, string, boolean, null or list")]
    [InlineData("""{"metadata": {"feature_names": ["v__f"]}, "results": [{"values": [1], "statuses": ["PRESENT"], "event_timestamps": ["yesterday"]}]}""", "not an ISO-8601 time")]
    public void A_malformed_answer_says_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<GranaryClientException>(() => OnlineFeaturesResponseReader.Read(Encoding.UTF8.GetBytes(json), OnlineFeaturesRequest.ForFeatures("v:f").AddEntity(("id", 1L))));

        Assert.Equal(GranaryClientException.InvalidResponseCode, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    // The n-th of the 5! orders of the features (factorial number system).
    private static int[] Permutation(int n)
    {
        var left = Enumerable.Range(0, Features.Length).ToList();
        var order = new int[Features.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var radix = left.Count;
            order[i] = left[n % radix];
            left.RemoveAt(n % radix);
            n /= radix;
        }

        return order;
    }

    private static OnlineFeaturesRequest Request() => OnlineFeaturesRequest.ForFeatures(Features).WithEntityColumn("user_id", [42L]);

    private static string FullName(string reference) => reference.Replace(":", "__", StringComparison.Ordinal);

    private static string Quoted(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static DateTimeOffset Time(int f) => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(f);

    // Eight orders of a result's three fields and of the answer's two (bit 0 of fieldOrder swaps those).
    private static string Result(int fieldOrder, string values, string status, string time)
    {
        string[] fields = [$"\"values\": {values}", $"\"statuses\": [{status}]", $"\"event_timestamps\": [{time}]"];
        string[] ordered = (fieldOrder >> 1) switch
        {
            0 => [fields[0], fields[1], fields[2]],
            1 => [fields[2], fields[1], fields[0]],
            2 => [fields[1], fields[0], fields[2]],
            _ => [fields[1], fields[2], "\"extra\": {\"nested\": [1, 2]}", fields[0]],
        };
        return "{" + string.Join(", ", ordered) + "}";
    }

    private static string ValueJson(int f, int kind) => kind switch
    {
        0 => (f * 1000L).ToString(CultureInfo.InvariantCulture),
        1 => (f + 0.25).ToString("R", CultureInfo.InvariantCulture),
        2 => f % 2 == 0 ? "true" : "false",
        3 => Quoted("s" + f + "é\""),
        _ => "null",
    };

    private static object? ExpectedValue(int f, int kind) => kind switch
    {
        0 => f * 1000L,
        1 => f + 0.25,
        2 => f % 2 == 0,
        3 => "s" + f + "é\"",
        _ => null,
    };
}
