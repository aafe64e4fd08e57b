using System.Data.Common;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.OnlineServing;

namespace Granary.Materialization;

/// <summary>
/// Copies the current row of the engine's reader (<see cref="Offline.Retrieval.LatestValuesRequest"/>'s layout: join
/// keys, event time, created time, features) into a <see cref="RowBatch"/>, each column with the read chosen once
/// from the driver's type (<see cref="CellReads.For"/>). Values are copied, not checked: the encoding stage checks
/// and converts them (<see cref="RowEncoder"/>), so the reading stage does nothing but drain the driver.
/// </summary>
internal sealed class LatestRowReader
{
    private readonly int _keys;
    private readonly FeatureType[] _types;
    private readonly CellRead[] _reads;
    private readonly bool _typedEvent;
    private readonly bool _typedCreated;
    private readonly string[] _columns;
    private readonly int _tiesOrdinal;

    private LatestRowReader(int keys, FeatureType[] types, CellRead[] reads, bool typedEvent, bool typedCreated, string[] columns, int tiesOrdinal)
    {
        _tiesOrdinal = tiesOrdinal;
        _columns = columns;
        _keys = keys;
        _types = types;
        _reads = reads;
        _typedEvent = typedEvent;
        _typedCreated = typedCreated;
    }

    /// <summary>How each column is read, one per cell (keys, then features).</summary>
    public IReadOnlyList<CellRead> Reads => _reads;

    /// <summary>Chooses each column's read from the driver's column types (stable for the whole result).</summary>
    public static LatestRowReader For(OnlineViewPlan plan, DbDataReader reader)
    {
        var keys = plan.JoinKeys.Count;
        var features = plan.Schema.Count;
        var types = new FeatureType[keys + features];
        var reads = new CellRead[keys + features];
        for (var cell = 0; cell < types.Length; cell++)
        {
            types[cell] = cell < keys ? plan.KeyTypes[cell] : plan.Schema.Features[cell - keys].Type;
            reads[cell] = CellReads.For(reader.GetFieldType(Ordinal(keys, cell)), types[cell]);
        }

        // The names users know each column by, in the reader's order (keys, event time, created time, features).
        string[] columns =
        [
            .. plan.JoinKeys,
            plan.Source?.TimestampField ?? "event timestamp",
            plan.Source?.CreatedTimestampColumn ?? "created timestamp",
            .. plan.Schema.Features.Select(feature => feature.Name),
        ];
        // The engine's tie count follows the features when a unique rule asked for it.
        var ties = keys + 2 + features;
        return new LatestRowReader(
            keys, types, reads, reader.GetFieldType(keys) == typeof(DateTime), reader.GetFieldType(keys + 1) == typeof(DateTime), columns, reader.FieldCount > ties ? ties : -1);
    }

    /// <summary>Whether rows carry the engine's tie count (the batches then keep a flag per row).</summary>
    public bool CountsTies => _tiesOrdinal >= 0;

    /// <summary>Whether any column goes through <c>GetValue</c> (the batches then keep a slot for the driver's objects).</summary>
    public bool AnyConverted => Array.IndexOf(_reads, CellRead.Converted) >= 0;

    /// <summary>Appends the current row to <paramref name="batch"/>; false, appending nothing, when a join key is null.</summary>
    /// <exception cref="GranaryException">A timestamp of the row is infinite, which no online record holds.</exception>
    public bool TryAppend(DbDataReader reader, RowBatch batch)
    {
        try
        {
            return TryAppendRow(reader, batch);
        }
        catch (InvalidOperationException e) when (InfiniteColumn(reader) is { } column)
        {
            // Drivers refuse to turn an infinite timestamp (DuckDB's and PostgreSQL's 'infinity') into a DateTime; the
            // row is not half appended (Count moves last), and the message names the column instead of the driver.
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Column '{column}' holds an infinite timestamp, which no online record can hold; give it a finite time or leave it null.", e);
        }
    }

    /// <summary>The first column of the current row whose value the driver cannot read (an infinite timestamp), or null.</summary>
    private string? InfiniteColumn(DbDataReader reader)
    {
        for (var ordinal = 0; ordinal < Math.Min(reader.FieldCount, _columns.Length); ordinal++)
        {
            try
            {
                _ = reader.GetValue(ordinal);
            }
            catch (InvalidOperationException)
            {
                return _columns[ordinal];
            }
        }

        return null;
    }

    private bool TryAppendRow(DbDataReader reader, RowBatch batch)
    {
        for (var k = 0; k < _keys; k++)
        {
            if (reader.IsDBNull(k))
            {
                return false;
            }
        }

        var row = batch.Count;
        var first = row * batch.CellsPerRow;
        var cells = batch.Cells;
        for (var cell = 0; cell < _reads.Length; cell++)
        {
            var ordinal = Ordinal(_keys, cell);
            var read = _reads[cell];
            if (read == CellRead.Converted)
            {
                batch.Boxed![first + cell] = reader.GetValue(ordinal);
                continue;
            }

            cells[first + cell] = reader.IsDBNull(ordinal) ? FeatureValue.Null(_types[cell]) : read switch
            {
                CellRead.Int32 => FeatureValue.Int32(reader.GetInt32(ordinal)),
                CellRead.Int64 => FeatureValue.Int64(reader.GetInt64(ordinal)),
                CellRead.Float32 => FeatureValue.Float32(reader.GetFloat(ordinal)),
                CellRead.Float64 => FeatureValue.Float64(reader.GetDouble(ordinal)),
                CellRead.Bool => FeatureValue.Bool(reader.GetBoolean(ordinal)),
                CellRead.String => FeatureValue.String(reader.GetString(ordinal)),
                _ => FeatureValue.Timestamp(UtcMicros.From(reader.GetDateTime(ordinal))),
            };
        }

        batch.EventMicros[row] = _typedEvent && !reader.IsDBNull(_keys) ? UtcMicros.From(reader.GetDateTime(_keys)) : Micros(reader.GetValue(_keys));
        batch.CreatedMicros[row] = reader.IsDBNull(_keys + 1) ? UtcMicros.None
            : _typedCreated ? UtcMicros.From(reader.GetDateTime(_keys + 1)) : Micros(reader.GetValue(_keys + 1));
        if (batch.Tied is { } tied)
        {
            tied[row] = !reader.IsDBNull(_tiesOrdinal) && Convert.ToInt64(reader.GetValue(_tiesOrdinal), System.Globalization.CultureInfo.InvariantCulture) > 1;
        }

        batch.Count = row + 1;
        return true;
    }

    // Cells are keys then features; the row has the event and created times between them.
    private static int Ordinal(int keys, int cell) => cell < keys ? cell : cell + 2;

    private static long Micros(object value) => value switch
    {
        DateTimeOffset d => UtcMicros.From(d),
        DateTime d => UtcMicros.From(d),
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"An event timestamp came back as {value.GetType().Name}, not a timestamp."),
    };
}
