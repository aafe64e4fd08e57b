using System.Data.Common;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.OnlineServing;
using Granary.Streaming.Events;

namespace Granary.Backfill;

/// <summary>
/// Turns the rows of a <see cref="Offline.Retrieval.StreamEventsRequest"/> into the events the aggregations take, with
/// the conversions push applies to the same columns (so a logged value reads as it did when pushed): the entity from
/// the join keys, the time, the plan's columns in plan order and the event id as text.
/// </summary>
internal sealed class LoggedEventReader
{
    private readonly DbDataReader _reader;
    private readonly OnlineViewPlan _plan;
    private readonly string _log;
    private readonly IReadOnlyList<string> _columns;
    private readonly FeatureType[] _types;
    private readonly int _idColumn;
    private readonly FeatureValue[] _parts;

    // One buffer for every event: the aggregations copy the values they keep, so an event's columns are not held after it is applied.
    private readonly FeatureValue[] _values;

    /// <param name="reader">The engine's rows.</param>
    /// <param name="plan">The stream view.</param>
    /// <param name="log">The event log's source name, for messages.</param>
    /// <param name="columns">The event columns read: the plan's columns in its order, then the event id field if it is not one of them.</param>
    /// <param name="idColumn">The index in <paramref name="columns"/> of the event id field; -1 when the view has none.</param>
    public LoggedEventReader(DbDataReader reader, OnlineViewPlan plan, string log, IReadOnlyList<string> columns, int idColumn)
    {
        _reader = reader;
        _plan = plan;
        _log = log;
        _columns = columns;
        _idColumn = idColumn;
        _parts = new FeatureValue[plan.JoinKeys.Count];
        var columnCount = plan.Stream!.Target.Plan.Columns.Count;
        _types = new FeatureType[columnCount];
        _values = new FeatureValue[columnCount];
        for (var c = 0; c < columnCount; c++)
        {
            _types[c] = TypeOf(plan.View.Stream!.Inputs, columns[c]);
        }
    }

    /// <summary>
    /// The current row as an event, valid until the next call (its columns are reused); false for a row with a null
    /// key part, which no key can count.
    /// </summary>
    /// <exception cref="GranaryException">A value does not convert to its column's type (<see cref="ErrorCodes.InvalidArgument"/>).</exception>
    public bool TryRead(out StreamEvent e)
    {
        var keys = _parts.Length;
        var micros = _reader.GetInt64(keys);
        for (var k = 0; k < keys; k++)
        {
            if (_reader.IsDBNull(k))
            {
                e = default;
                return false;
            }

            _parts[k] = Value(k, _plan.KeyTypes[k], _plan.JoinKeys[k], micros, key: true);
        }

        for (var c = 0; c < _values.Length; c++)
        {
            _values[c] = Value(keys + 1 + c, _types[c], _columns[c], micros, key: false);
        }

        e = new StreamEvent(EntityKey.Create(_parts), micros, _values, _idColumn < 0 ? null : EventId(micros));
        return true;
    }

    // A logged event without an id (the log may hold rows not pushed through this view) counts as training data
    // counts it: never as a repeat of another.
    private string? EventId(long micros)
    {
        var value = _reader.GetValue(_parts.Length + 1 + _idColumn);
        return value switch
        {
            DBNull or null => null,
            string text => text,
            IFormattable number when value is int or long or short or byte or uint or ulong => number.ToString(null, CultureInfo.InvariantCulture),
            _ => throw Error(_columns[_idColumn], micros, "an event id must be a string or an integer"),
        };
    }

    private FeatureValue Value(int ordinal, FeatureType type, string column, long micros, bool key)
    {
        try
        {
            var value = _reader.GetValue(ordinal);
            return key ? EntityKey.Part(value, type) : ClrValues.ToFeatureValue(value, type);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            // The conversions' three refusals, as materialization's encoder catches them: none reaches the user raw.
            throw Error(column, micros, ex.Message);
        }
    }

    private GranaryException Error(string column, long micros, string problem) => new(
        ErrorCodes.InvalidArgument,
        $"Event log '{_log}' of stream view '{_plan.Name}', column '{column}' of the event at {UtcMicros.ToDateTimeOffset(micros):yyyy-MM-ddTHH:mm:ss.FFFFFFZ}: {problem}. "
        + "Keys before it were written whole; fix the log and run backfill again (it replaces each key's state).");

    private FeatureType TypeOf(IReadOnlyList<Field> inputs, string name)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input.Type;
            }
        }

        throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{_plan.Name}' reads column '{name}', which its inputs do not type; apply its definition again.");
    }
}
