using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.OnlineServing;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;

namespace Granary.Push;

/// <summary>
/// Turns pushed rows into the events of one stream view: entity from the join keys, event time from the batch
/// source's timestamp field, the columns the view's aggregations read (in its plan's order) and the event id. Every
/// row is converted and checked before anything is applied, and each mistake names its column and row
/// (<c>df.amount[3]</c>), as for rows of ordinary views.
/// </summary>
internal static class PushedEvents
{
    public static StreamEvent[] ToEvents(OnlineViewPlan plan, BatchSource source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows)
    {
        var target = plan.Stream!.Target;
        var settings = plan.View.Stream!;
        var timestamps = Column(columns, source.TimestampField, plan);
        var keyColumns = new IReadOnlyList<object?>[plan.JoinKeys.Count];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            keyColumns[k] = Column(columns, plan.JoinKeys[k], plan);
        }

        var inputs = settings.Inputs;
        var inputColumns = new IReadOnlyList<object?>[target.Plan.Columns.Count];
        var inputTypes = new FeatureType[inputColumns.Length];
        for (var c = 0; c < inputColumns.Length; c++)
        {
            var name = target.Plan.Columns[c];
            inputColumns[c] = Column(columns, name, plan);
            inputTypes[c] = TypeOf(inputs, name, plan);
        }

        var ids = target.EventIdField is { } idField ? Column(columns, idField, plan) : null;
        var events = new StreamEvent[rows];
        var parts = new FeatureValue[keyColumns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < parts.Length; k++)
            {
                parts[k] = PushedRows.Convert(() => EntityKey.Part(keyColumns[k][r], plan.KeyTypes[k]), plan.JoinKeys[k], r, plan.KeyTypes[k]);
            }

            var values = new FeatureValue[inputColumns.Length];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = PushedRows.Convert(() => ClrValues.ToFeatureValue(inputColumns[c][r], inputTypes[c]), target.Plan.Columns[c], r, inputTypes[c]);
            }

            var id = ids is null ? null : EventId(ids[r], target.EventIdField!, r);
            events[r] = new StreamEvent(EntityKey.Create(parts), PushedRows.Micros(timestamps[r], source.TimestampField, r), values, id);
        }

        return events;
    }

    private static string EventId(object? value, string column, int row) => value switch
    {
        null => throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{column}[{row}]: an event id is required (the view's event_id_field)."),
        string text => text,
        IFormattable number when value is int or long or short or byte or uint or ulong => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{column}[{row}]: an event id must be a string or an integer."),
    };

    private static FeatureType TypeOf(IReadOnlyList<Field> inputs, string name, OnlineViewPlan plan)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input.Type;
            }
        }

        throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{plan.Name}' reads column '{name}', which its inputs do not type; apply its definition again.");
    }

    private static IReadOnlyList<object?> Column(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, string name, OnlineViewPlan plan) =>
        columns.TryGetValue(name, out var values)
            ? values
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"df: missing column '{name}', needed by stream feature view '{plan.Name}'.");
}
