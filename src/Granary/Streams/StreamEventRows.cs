using Granary.Core.Time;
using Granary.Streaming.Events;
using Granary.Streaming.Sources;

namespace Granary.Streams;

/// <summary>
/// The accepted events of one batch as rows of the source's batch source, column-major as <see cref="Offline.IPushLog"/>
/// takes them: each view's join keys, the event time (under every timestamp column of <see cref="StreamFeed.LogTimestampFields"/>),
/// the columns its aggregations read and its <c>event_id_field</c>, so that get-historical computes the same
/// features from the log. A column several views share is written once, from the first view that has it.
/// </summary>
internal static class StreamEventRows
{
    public static Dictionary<string, IReadOnlyList<object?>> Columns(StreamFeed feed, IReadOnlyList<IReadOnlyList<StreamEvent>> events, bool[] late, int accepted)
    {
        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        var first = events[0];
        foreach (var field in feed.LogTimestampFields)
        {
            columns[field] = Select(first, late, accepted, static e => UtcMicros.ToDateTimeOffset(e.EventMicros));
        }

        for (var v = 0; v < feed.Shapes.Count; v++)
        {
            var shape = feed.Shapes[v];
            var viewEvents = events[v];
            for (var k = 0; k < shape.JoinKeys.Count; k++)
            {
                var key = k;
                Add(columns, shape.JoinKeys[k].Name, () => Select(viewEvents, late, accepted, e => e.Entity.Parts()[key].ToObject()));
            }

            for (var c = 0; c < shape.Columns.Count; c++)
            {
                var column = c;
                Add(columns, shape.Columns[c].Name, () => Select(viewEvents, late, accepted, e => e.Columns[column].ToObject()));
            }

            if (shape.EventIdField is { } idField)
            {
                Add(columns, idField, () => Select(viewEvents, late, accepted, static e => e.EventId));
            }
        }

        return columns;
    }

    private static void Add(Dictionary<string, IReadOnlyList<object?>> columns, string name, Func<object?[]> values)
    {
        if (!columns.ContainsKey(name))
        {
            columns[name] = values();
        }
    }

    private static object?[] Select(IReadOnlyList<StreamEvent> events, bool[] late, int accepted, Func<StreamEvent, object?> value)
    {
        var values = new object?[accepted];
        var row = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (!late[i])
            {
                values[row++] = value(events[i]);
            }
        }

        return values;
    }
}
