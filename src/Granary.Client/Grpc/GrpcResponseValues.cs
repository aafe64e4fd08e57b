using Granary.Contracts.Errors;
using Granary.Contracts.Grpc.V1;

namespace Granary.Client.Grpc;

/// <summary>
/// A <c>GetOnlineFeaturesResponse</c> as <see cref="OnlineFeatures"/>, holding the values the HTTP transport reads from
/// the same answer in JSON, so that code reads the same values whichever transport it runs on: integers as
/// <see cref="long"/>, floats as <see cref="double"/> (a float32 widened, as the JSON answer writes it),
/// <c>unix_timestamp</c> values as whole seconds since the epoch (<see cref="long"/>, toward the past), bytes as base64
/// text, lists as <c>object?[]</c>; event times as <see cref="DateTimeOffset"/>, null where the server has none.
/// </summary>
internal static class GrpcResponseValues
{
    private const long TicksPerMicrosecond = 10;
    private const long MicrosPerSecond = 1_000_000;

    /// <summary>The answer's feature columns, named and ordered as the HTTP transport's (<see cref="AnswerColumns"/>).</summary>
    public static OnlineFeatures ToOnlineFeatures(OnlineFeaturesRequest request, GetOnlineFeaturesResponse response)
    {
        if (response.FeatureNames.Count != response.Results.Count)
        {
            throw Invalid($"the answer names {response.FeatureNames.Count} columns but has {response.Results.Count}.");
        }

        var answer = AnswerColumns.Arrange(request, response.FeatureNames, response.Results, ToColumn, Invalid);
        answer.ExperimentVariant = response.Experiment is { Variant.Length: > 0 } served ? served.Variant : null;
        return answer;
    }

    private static FeatureColumn ToColumn(FeatureVector vector, int entities, string name)
    {
        if (vector.Values.Count != entities || vector.Statuses.Count != entities || vector.EventTimestamps.Count != entities)
        {
            throw Invalid($"column '{name}' has {vector.Values.Count} values, {vector.Statuses.Count} statuses and {vector.EventTimestamps.Count} event times for {entities} entities.");
        }

        var values = new AnsweredValue[entities];
        var statuses = new FeatureStatus[entities];
        var times = new DateTimeOffset?[entities];
        for (var e = 0; e < entities; e++)
        {
            values[e] = ToAnsweredValue(vector.Values[e]);
            statuses[e] = StatusOf(vector.Statuses[e]);
            var micros = vector.EventTimestamps[e];
            times[e] = micros == 0 ? null : Instant(micros);
        }

        return new FeatureColumn(values, statuses, times);
    }

    /// <summary>Feast's status numbers; one this client does not know (a newer server's) reads as <see cref="FeatureStatus.Unknown"/>.</summary>
    public static FeatureStatus StatusOf(FieldStatus status) => status switch
    {
        FieldStatus.Present => FeatureStatus.Present,
        FieldStatus.NullValue => FeatureStatus.NullValue,
        FieldStatus.NotFound => FeatureStatus.NotFound,
        FieldStatus.OutsideMaxAge => FeatureStatus.OutsideMaxAge,
        _ => FeatureStatus.Unknown,
    };

    /// <summary>A value as the answer holds it: scalars unboxed; bytes, lists and null as <see cref="ToClr"/> gives them.</summary>
    public static AnsweredValue ToAnsweredValue(Value value) => value.ValCase switch
    {
        Value.ValOneofCase.Int64Val => AnsweredValue.FromInt64(value.Int64Val),
        Value.ValOneofCase.Int32Val => AnsweredValue.FromInt64(value.Int32Val),
        Value.ValOneofCase.DoubleVal => AnsweredValue.FromDouble(value.DoubleVal),
        Value.ValOneofCase.FloatVal => AnsweredValue.FromDouble(value.FloatVal),
        Value.ValOneofCase.BoolVal => AnsweredValue.FromBoolean(value.BoolVal),
        Value.ValOneofCase.StringVal => AnsweredValue.FromString(value.StringVal),
        Value.ValOneofCase.UnixTimestampMicrosVal => AnsweredValue.FromInt64(Seconds(value.UnixTimestampMicrosVal)),
        _ => AnsweredValue.FromObject(ToClr(value)),
    };

    public static object? ToClr(Value value) => value.ValCase switch
    {
        Value.ValOneofCase.None or Value.ValOneofCase.NullVal => null,
        Value.ValOneofCase.Int64Val => value.Int64Val,
        Value.ValOneofCase.Int32Val => (long)value.Int32Val,
        Value.ValOneofCase.DoubleVal => value.DoubleVal,
        Value.ValOneofCase.FloatVal => (double)value.FloatVal,
        Value.ValOneofCase.BoolVal => value.BoolVal,
        Value.ValOneofCase.StringVal => value.StringVal,
        Value.ValOneofCase.BytesVal => Convert.ToBase64String(value.BytesVal.Span),
        Value.ValOneofCase.UnixTimestampMicrosVal => Seconds(value.UnixTimestampMicrosVal),
        Value.ValOneofCase.Int64ListVal => Box(value.Int64ListVal.Val, static v => v),
        Value.ValOneofCase.Int32ListVal => Box(value.Int32ListVal.Val, static v => (long)v),
        Value.ValOneofCase.DoubleListVal => Box(value.DoubleListVal.Val, static v => v),
        Value.ValOneofCase.FloatListVal => Box(value.FloatListVal.Val, static v => (double)v),
        Value.ValOneofCase.BoolListVal => Box(value.BoolListVal.Val, static v => v),
        Value.ValOneofCase.StringListVal => Box(value.StringListVal.Val, static v => v),
        Value.ValOneofCase.BytesListVal => Box(value.BytesListVal.Val, static v => Convert.ToBase64String(v.Span)),
        Value.ValOneofCase.UnixTimestampMicrosListVal => Box(value.UnixTimestampMicrosListVal.Val, static v => Seconds(v)),

        // Not reached: a kind added to granary.proto after this client arrives as an unknown field, so as None.
        _ => null,
    };

    private static object?[] Box<T>(IList<T> items, Func<T, object?> convert)
    {
        var boxed = new object?[items.Count];
        for (var i = 0; i < boxed.Length; i++)
        {
            boxed[i] = convert(items[i]);
        }

        return boxed;
    }

    private static long Seconds(long micros) => (micros / MicrosPerSecond) - (micros % MicrosPerSecond < 0 ? 1 : 0);

    private static DateTimeOffset Instant(long micros)
    {
        var ticks = micros * TicksPerMicrosecond;
        if (micros > (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond
            || micros < (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond)
        {
            throw Invalid($"event time {micros} µs since the Unix epoch is outside the years 1 to 9999.");
        }

        return DateTimeOffset.UnixEpoch.AddTicks(ticks);
    }

    private static GranaryClientException Invalid(string what) =>
        new(GranaryClientException.InvalidResponseCode, "The feature server's gRPC answer cannot be read: " + what, httpStatus: null, isTransient: false, mayHaveReachedServer: true);
}
