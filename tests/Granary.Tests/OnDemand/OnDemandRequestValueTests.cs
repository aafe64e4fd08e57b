using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.OnDemand;

namespace Granary.Tests.OnDemand;

/// <summary>Request values of a unix_timestamp field: whole seconds as Feast sends them, or ISO 8601 text; anything else names the field and row.</summary>
public sealed class OnDemandRequestValueTests
{
    private static readonly DateTimeOffset Six = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Seconds_and_iso_text_are_the_same_instant()
    {
        var fromSeconds = OnDemandValues.FromRequest(Six.ToUnixTimeSeconds(), FeatureType.UnixTimestamp, "seen", 0);
        var fromText = OnDemandValues.FromRequest("2026-11-01T08:00:00+02:00", FeatureType.UnixTimestamp, "seen", 1);

        Assert.Equal(UtcMicros.From(Six), fromSeconds.AsTimestampMicros());
        Assert.Equal(UtcMicros.From(Six), fromText.AsTimestampMicros());
        Assert.True(OnDemandValues.FromRequest(null, FeatureType.UnixTimestamp, "seen", 2).IsNull);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData(true)]
    [InlineData(long.MaxValue)]
    public void A_value_that_is_no_time_is_refused_naming_the_field_and_row(object value)
    {
        var e = Assert.Throws<GranaryException>(() => OnDemandValues.FromRequest(value, FeatureType.UnixTimestamp, "seen", 3));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.StartsWith("request_context.seen[3]:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedding_in_the_request_is_a_float_list_and_an_item_that_is_no_number_names_the_field()
    {
        var fromJson = OnDemandValues.FromRequest(new List<object?> { 1L, 0.5, 2m }, FeatureType.Float32.AsList(), "query", 0);
        var fromGrpc = OnDemandValues.FromRequest(new[] { 0.25f, 4f }, FeatureType.Float64.AsList(), "query", 1);
        var e = Assert.Throws<GranaryException>(() => OnDemandValues.FromRequest(new List<object?> { 1L, "x" }, FeatureType.Float32.AsList(), "query", 2));

        Assert.Equal(new[] { 1f, 0.5f, 2f }, (float[])fromJson.AsList());
        Assert.Equal(new[] { 0.25, 4.0 }, (double[])fromGrpc.AsList());
        Assert.StartsWith("request_context.query[2]:", e.Message, StringComparison.Ordinal);
        Assert.Contains("item 1 is 'x', not a number", e.Message, StringComparison.Ordinal);
    }
}
