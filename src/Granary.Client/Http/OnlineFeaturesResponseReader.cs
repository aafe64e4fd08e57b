using System.Text.Json;

namespace Granary.Client.Http;

/// <summary>
/// Reads Feast's column-major answer to <c>/get-online-features</c>,
/// <c>{"metadata": {"feature_names": [...]}, "results": [{"values", "statuses", "event_timestamps"}]}</c>, in one pass
/// with <see cref="Utf8JsonReader"/>. The server orders columns by view and names them <c>view__feature</c>; the
/// reader puts a feature list's columns back in request order under their <c>view:feature</c> names, and names a
/// feature service's columns by their first <c>__</c>. Join key columns are dropped.
/// </summary>
internal static class OnlineFeaturesResponseReader
{
    public static OnlineFeatures Read(ReadOnlySpan<byte> body, OnlineFeaturesRequest request)
    {
        var entityCount = request.EntityCount;
        var reader = new Utf8JsonReader(body);
        string[]? names = null;
        List<FeatureColumn>? results = null;
        ResponseJson.Start(ref reader);
        while (ResponseJson.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                ResponseJson.Read(ref reader);
                ResponseJson.Expect(ref reader, JsonTokenType.StartObject, "metadata");
                while (ResponseJson.NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("feature_names"u8))
                    {
                        ResponseJson.Read(ref reader);
                        names = ResponseJson.ReadStrings(ref reader, "metadata.feature_names");
                    }
                    else
                    {
                        ResponseJson.Skip(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("results"u8))
            {
                ResponseJson.Read(ref reader);
                ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "results");
                results = new List<FeatureColumn>(names?.Length ?? 8);
                while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
                {
                    results.Add(ReadColumn(ref reader, entityCount));
                }
            }
            else
            {
                ResponseJson.Skip(ref reader);
            }
        }

        if (names is null || results is null || names.Length != results.Count)
        {
            throw ResponseJson.Invalid("the answer lacks metadata.feature_names or results, or has not one result per name");
        }

        return AnswerColumns.Arrange(request, names, results, static (column, _, _) => column, static what => ResponseJson.Invalid(what));
    }

    private static FeatureColumn ReadColumn(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartObject, "results[]");
        object?[]? values = null;
        FeatureStatus[]? statuses = null;
        DateTimeOffset?[]? times = null;
        while (ResponseJson.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("values"u8))
            {
                ResponseJson.Read(ref reader);
                values = ReadValues(ref reader, entityCount);
            }
            else if (reader.ValueTextEquals("statuses"u8))
            {
                ResponseJson.Read(ref reader);
                statuses = ReadStatuses(ref reader, entityCount);
            }
            else if (reader.ValueTextEquals("event_timestamps"u8))
            {
                ResponseJson.Read(ref reader);
                times = ReadTimes(ref reader, entityCount);
            }
            else
            {
                ResponseJson.Skip(ref reader);
            }
        }

        return new FeatureColumn(
            values ?? throw ResponseJson.Invalid("a result lacks values"),
            statuses ?? throw ResponseJson.Invalid("a result lacks statuses"),
            times ?? new DateTimeOffset?[entityCount]);
    }

    private static object?[] ReadValues(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "values");
        var values = new object?[entityCount];
        var i = 0;
        while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            ResponseJson.CheckCount(i, entityCount, "values");
            values[i++] = ResponseJson.ReadValue(ref reader);
        }

        ResponseJson.CheckEnd(i, entityCount, "values");
        return values;
    }

    private static FeatureStatus[] ReadStatuses(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "statuses");
        var statuses = new FeatureStatus[entityCount];
        var i = 0;
        while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            ResponseJson.CheckCount(i, entityCount, "statuses");
            statuses[i++] =
                reader.ValueTextEquals("PRESENT"u8) ? FeatureStatus.Present
                : reader.ValueTextEquals("NOT_FOUND"u8) ? FeatureStatus.NotFound
                : reader.ValueTextEquals("NULL_VALUE"u8) ? FeatureStatus.NullValue
                : reader.ValueTextEquals("OUTSIDE_MAX_AGE"u8) ? FeatureStatus.OutsideMaxAge
                : FeatureStatus.Unknown; // a status a newer server added (docs/client.md, compatibility)
        }

        ResponseJson.CheckEnd(i, entityCount, "statuses");
        return statuses;
    }

    private static DateTimeOffset?[] ReadTimes(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "event_timestamps");
        var times = new DateTimeOffset?[entityCount];
        var i = 0;
        while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            ResponseJson.CheckCount(i, entityCount, "event_timestamps");
            times[i++] = ResponseJson.ReadEventTime(ref reader);
        }

        ResponseJson.CheckEnd(i, entityCount, "event_timestamps");
        return times;
    }
}
