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
    // Feature references longer than this are matched through a heap buffer rather than the stack.
    private const int StackNameLimit = 256;

    public static OnlineFeatures Read(ReadOnlySpan<byte> body, OnlineFeaturesRequest request)
    {
        var entityCount = request.EntityCount;
        var features = request.FeatureService is null ? request.FeatureList : null;
        var reader = new Utf8JsonReader(body);

        // A feature list's column names are matched against the request in place (no string per name): slots[c] is
        // the request index answer column c goes to, -1 for a join key or a column not asked for. A feature
        // service's names are not known in advance, so they are read as strings.
        int[]? slots = null;
        string[]? names = null;
        var nameCount = -1;
        string? variant = null;
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
                        if (features is null)
                        {
                            names = ResponseJson.ReadStrings(ref reader, "metadata.feature_names");
                            nameCount = names.Length;
                        }
                        else
                        {
                            slots = ReadSlots(ref reader, features);
                            nameCount = slots.Length;
                        }
                    }
                    else if (reader.ValueTextEquals("experiment"u8))
                    {
                        ResponseJson.Read(ref reader);
                        ResponseJson.Expect(ref reader, JsonTokenType.StartObject, "metadata.experiment");
                        while (ResponseJson.NextProperty(ref reader))
                        {
                            if (reader.ValueTextEquals("variant"u8))
                            {
                                ResponseJson.Read(ref reader);
                                ResponseJson.Expect(ref reader, JsonTokenType.String, "metadata.experiment.variant");
                                variant = reader.GetString();
                            }
                            else
                            {
                                ResponseJson.Skip(ref reader);
                            }
                        }
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
                results = new List<FeatureColumn>(nameCount > 0 ? nameCount : features?.Length ?? 8);
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

        if (nameCount < 0 || results is null || nameCount != results.Count)
        {
            throw ResponseJson.Invalid("the answer lacks metadata.feature_names or results, or has not one result per name");
        }

        if (features is null)
        {
            var arranged = AnswerColumns.Arrange(request, names!, results, static (column, _, _) => column, static what => ResponseJson.Invalid(what));
            arranged.ExperimentVariant = variant;
            return arranged;
        }

        var columns = new FeatureColumn[features.Length];
        for (var c = 0; c < slots!.Length; c++)
        {
            if (slots[c] >= 0)
            {
                columns[slots[c]] = results[c];
            }
        }

        for (var f = 0; f < features.Length; f++)
        {
            if (columns[f] is null)
            {
                throw ResponseJson.Invalid($"the answer has no column for feature '{features[f]}'");
            }
        }

        return new OnlineFeatures(features, columns, entityCount) { ExperimentVariant = variant };
    }

    /// <summary>
    /// Per name in <c>metadata.feature_names</c>, the index of the first feature not yet matched whose full name
    /// (<c>view__feature</c>) it is, or -1. The server answers in view order, so each name is tried first against the
    /// feature after the one matched last.
    /// </summary>
    private static int[] ReadSlots(ref Utf8JsonReader reader, string[] features)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "metadata.feature_names");
        var slots = new List<int>(features.Length + 1);
        Span<bool> taken = features.Length <= StackNameLimit ? stackalloc bool[features.Length] : new bool[features.Length];
        var expected = 0;
        while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            ResponseJson.Expect(ref reader, JsonTokenType.String, "metadata.feature_names");
            var slot = -1;
            for (var tried = 0; tried < features.Length; tried++)
            {
                var f = (expected + tried) % features.Length;
                if (!taken[f] && IsFullName(ref reader, features[f]))
                {
                    slot = f;
                    break;
                }
            }

            // The first unmatched feature that fits, as the request lists them: a feature asked for twice fills both.
            if (slot >= 0)
            {
                for (var f = 0; f < slot; f++)
                {
                    if (!taken[f] && IsFullName(ref reader, features[f]))
                    {
                        slot = f;
                        break;
                    }
                }

                taken[slot] = true;
                expected = slot + 1;
            }

            slots.Add(slot);
        }

        return [.. slots];
    }

    // view__feature in the answer against view:feature in the request, compared as text without building a string.
    private static bool IsFullName(ref Utf8JsonReader reader, string reference)
    {
        var colon = reference.IndexOf(':');
        var length = reference.Length + 1;
        Span<char> name = length <= StackNameLimit ? stackalloc char[length] : new char[length];
        reference.AsSpan(0, colon).CopyTo(name);
        name[colon] = '_';
        name[colon + 1] = '_';
        reference.AsSpan(colon + 1).CopyTo(name.Slice(colon + 2));
        return reader.ValueTextEquals(name);
    }

    private static FeatureColumn ReadColumn(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartObject, "results[]");
        AnsweredValue[]? values = null;
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

    private static AnsweredValue[] ReadValues(ref Utf8JsonReader reader, int entityCount)
    {
        ResponseJson.Expect(ref reader, JsonTokenType.StartArray, "values");
        var values = new AnsweredValue[entityCount];
        var i = 0;
        while (ResponseJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            ResponseJson.CheckCount(i, entityCount, "values");
            values[i++] = ResponseJson.ReadAnsweredValue(ref reader);
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
