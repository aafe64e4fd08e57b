using System.Buffers;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Quality.Validation;

namespace Granary.Materialization;

/// <summary>
/// Turns a <see cref="RowBatch"/> into online writes: checks each typed cell (floats finite, strings well-formed) and
/// converts the others by the rules every write path shares (<see cref="ClrValues"/>), then encodes the entity key and
/// the record. A value no store may hold stops the view with the error a push would give, naming its column; a row
/// failing an error validation rule of the view is left out and counted (<see cref="Validation"/>). One
/// encoder per pipeline: its buffer is reused for every record.
/// </summary>
internal sealed class RowEncoder(OnlineViewPlan plan, IReadOnlyList<CellRead> reads)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly int _keys = plan.JoinKeys.Count;
    // A stream view's rules judge its events, not rows read for materialization.
    private readonly ValidationTally? _validation = plan.Stream is null && plan.Validator is { } validator ? new ValidationTally(validator) : null;
    private bool[] _rejected = [];

    /// <summary>What the view's validation rules found in the rows encoded so far; null when it declares none.</summary>
    public ValidationTally? Validation => _validation;

    public void Encode(RowBatch batch, List<OnlineWrite> writes)
    {
        var cells = batch.Cells;
        var perRow = batch.CellsPerRow;
        for (var row = 0; row < batch.Count; row++)
        {
            var first = row * perRow;
            for (var cell = 0; cell < perRow; cell++)
            {
                Check(batch, first + cell, cell);
            }
        }

        // The rules judge the checked cells; a row failing an error rule is not written. Rows are the latest per
        // entity, so unique is judged on the engine's tie count rather than within the batch.
        var rejected = Validate(batch);
        for (var row = 0; row < batch.Count; row++)
        {
            if (rejected is not null && rejected[row])
            {
                continue;
            }

            var first = row * perRow;
            _buffer.ResetWrittenCount();
            OnlineRecord.Encode(_buffer, plan.Schema, batch.EventMicros[row], batch.CreatedMicros[row], cells.AsSpan(first + _keys, perRow - _keys));
            writes.Add(new OnlineWrite(plan.Namespace, EntityKey.Create(cells.AsSpan(first, _keys)), _buffer.WrittenSpan.ToArray()));
        }
    }

    private bool[]? Validate(RowBatch batch)
    {
        if (_validation is null)
        {
            return null;
        }

        if (_rejected.Length < batch.Count)
        {
            _rejected = new bool[batch.Capacity];
        }

        Array.Clear(_rejected);
        var rows = new ValidationBatch(batch.Cells, batch.CellsPerRow, batch.Count, batch.EventMicros) { Tied = batch.Tied };
        return _validation.Validator.Validate(rows, _validation, _rejected, firstRow: null) > 0 ? _rejected : null;
    }

    private void Check(RowBatch batch, int index, int cell)
    {
        ref var value = ref batch.Cells[index];
        switch (reads[cell])
        {
            case CellRead.Converted:
                value = Convert(batch.Boxed![index], cell);
                break;
            case CellRead.Float64 when !value.IsNull && !double.IsFinite(value.AsFloat64()):
            case CellRead.Float32 when !value.IsNull && !float.IsFinite(value.AsFloat32()):
            case CellRead.String when !value.IsNull && !StrictText.IsWellFormed(value.AsString()):
                // Refused as it would be through GetValue, with the same message.
                value = Convert(value.ToObject(), cell);
                break;
        }
    }

    private FeatureValue Convert(object? value, int cell)
    {
        var (type, column) = cell < _keys ? (plan.KeyTypes[cell], plan.JoinKeys[cell]) : (plan.Schema.Features[cell - _keys].Type, plan.Schema.Features[cell - _keys].Name);
        try
        {
            return ClrValues.ToFeatureValue(value, type);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw Refused(value, type, column, e);
        }
    }

    private GranaryException Refused(object? value, FeatureType type, string column, Exception e) =>
        new(ErrorCodes.InvalidArgument, $"Feature view '{plan.Name}': column '{column}' holds {value} ({value?.GetType().Name}), which is not a {type}: {e.Message}.", e);
}
