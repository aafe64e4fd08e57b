using Granary.Core.Values;
using Granary.Quality.Validation;
using Granary.Streaming.Events;

namespace Granary.Streams;

/// <summary>Events of one stream view as its validator reads them: per event the entity's key parts, then the columns its aggregations read.</summary>
internal static class StreamEventCells
{
    public static ValidationBatch ToBatch(IReadOnlyList<StreamEvent> events, int keys, int columns)
    {
        var stride = keys + columns;
        var cells = new FeatureValue[events.Count * stride];
        var times = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var first = i * stride;
            var parts = e.Entity.Parts();
            for (var k = 0; k < keys && k < parts.Length; k++)
            {
                cells[first + k] = parts[k];
            }

            Array.Copy(e.Columns, 0, cells, first + keys, Math.Min(columns, e.Columns.Length));
            times[i] = e.EventMicros;
        }

        return new ValidationBatch(cells, stride, events.Count, times);
    }
}
