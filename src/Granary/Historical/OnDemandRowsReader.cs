using System.Collections;
using System.Data.Common;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.OnDemand;
using Granary.Offline.Files;

namespace Granary.Historical;

/// <summary>
/// Training data with on-demand features, computed in one streaming pass over the engine's point-in-time join: each
/// row fills every on-demand view's inputs (request fields from the entity table's columns, source features from the
/// joined columns, converted as materialization converts them for the online store) and runs the view's compiled
/// features, the same delegates online serving runs, so online and offline agree by construction. The output is the
/// entity table's columns, then the requested features (<see cref="HistoricalOnDemandLayout"/>); source features not
/// asked for are dropped.
/// </summary>
internal sealed class OnDemandRowsReader : DbDataReader
{
    private readonly DbDataReader _inner;
    private readonly HistoricalOnDemandLayout _layout;
    private readonly int _entityColumns;
    private readonly int[] _engineOrdinals;
    private readonly PlanState[] _plans;
    private readonly FeatureValue[] _computed;
    private long _row = -1;

    public OnDemandRowsReader(DbDataReader inner, HistoricalOnDemandLayout layout, int engineFeatureColumns)
    {
        _inner = inner;
        _layout = layout;
        _entityColumns = inner.FieldCount - engineFeatureColumns;
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inner.FieldCount; i++)
        {
            ordinals.TryAdd(inner.GetName(i), i);
        }

        _engineOrdinals = new int[layout.Columns.Length];
        _computed = new FeatureValue[layout.Columns.Length];
        for (var c = 0; c < layout.Columns.Length; c++)
        {
            var column = layout.Columns[c];
            _engineOrdinals[c] = column.EngineColumn is { } name ? ordinals[name] : -1;
            if (column.EngineColumn is null)
            {
                _computed[c] = FeatureValue.Null(layout.Plans[column.Plan].Features[column.Feature].Type);
            }
        }

        _plans = new PlanState[layout.Plans.Length];
        for (var p = 0; p < _plans.Length; p++)
        {
            _plans[p] = PlanState.For(layout, p, ordinals, _entityColumns);
        }
    }

    public override int FieldCount => _entityColumns + _layout.Columns.Length;

    public override int Depth => 0;

    public override bool HasRows => _inner.HasRows;

    public override bool IsClosed => _inner.IsClosed;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (!_inner.Read())
        {
            return false;
        }

        Compute();
        return true;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _inner.ReadAsync(cancellationToken))
        {
            return false;
        }

        Compute();
        return true;
    }

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => ordinal < _entityColumns ? _inner.GetName(ordinal) : _layout.Columns[ordinal - _entityColumns].Name;

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "The training data has no column of that name.");
    }

    public override Type GetFieldType(int ordinal) => Computed(ordinal) is { } type ? ClrType(type) : _inner.GetFieldType(Inner(ordinal));

    public override string GetDataTypeName(int ordinal) => Computed(ordinal) is { } type ? type.ToString() : _inner.GetDataTypeName(Inner(ordinal));

    public override bool IsDBNull(int ordinal) => Computed(ordinal) is null ? _inner.IsDBNull(Inner(ordinal)) : Value(ordinal).IsNull;

    public override object GetValue(int ordinal) => Computed(ordinal) is null ? _inner.GetValue(Inner(ordinal)) : Value(ordinal).ToObject() ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool GetBoolean(int ordinal) => Computed(ordinal) is null ? _inner.GetBoolean(Inner(ordinal)) : Value(ordinal).AsBool();

    public override long GetInt64(int ordinal) => Computed(ordinal) is null ? _inner.GetInt64(Inner(ordinal)) : Convert.ToInt64(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Computed(ordinal) is null ? _inner.GetInt32(Inner(ordinal)) : Convert.ToInt32(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override short GetInt16(int ordinal) => Computed(ordinal) is null ? _inner.GetInt16(Inner(ordinal)) : Convert.ToInt16(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => Computed(ordinal) is null ? _inner.GetDouble(Inner(ordinal)) : Convert.ToDouble(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Computed(ordinal) is null ? _inner.GetFloat(Inner(ordinal)) : Convert.ToSingle(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override decimal GetDecimal(int ordinal) => Computed(ordinal) is null ? _inner.GetDecimal(Inner(ordinal)) : Convert.ToDecimal(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override string GetString(int ordinal) => Computed(ordinal) is null ? _inner.GetString(Inner(ordinal)) : Convert.ToString(GetValue(ordinal), CultureInfo.InvariantCulture)!;

    // Timestamps hand over as their UTC wall clock, whichever shape the engine's driver gives them in.
    public override DateTime GetDateTime(int ordinal) => GetValue(ordinal) switch
    {
        DateTimeOffset d => d.UtcDateTime,
        DateTime d => d,
        var other => Convert.ToDateTime(other, CultureInfo.InvariantCulture),
    };

    public override Guid GetGuid(int ordinal) => _inner.GetGuid(Inner(ordinal));

    public override byte GetByte(int ordinal) => _inner.GetByte(Inner(ordinal));

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        _inner.GetBytes(Inner(ordinal), dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => _inner.GetChar(Inner(ordinal));

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        _inner.GetChars(Inner(ordinal), dataOffset, buffer, bufferOffset, length);

    public override T GetFieldValue<T>(int ordinal) => Computed(ordinal) is null ? _inner.GetFieldValue<T>(Inner(ordinal)) : (T)GetValue(ordinal);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    /// <summary>The file column each output column is written as, for the Parquet writer.</summary>
    public IReadOnlyList<FileColumn> FileColumns()
    {
        var columns = new FileColumn[FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var type = GetFieldType(i);
            columns[i] = new FileColumn(GetName(i), Type.GetTypeCode(type) switch
            {
                TypeCode.Int64 => FileValueKind.Int64,
                TypeCode.Int32 => FileValueKind.Int32,
                TypeCode.Int16 => FileValueKind.Int16,
                TypeCode.Double or TypeCode.Decimal => FileValueKind.Float64,
                TypeCode.Single => FileValueKind.Float32,
                TypeCode.Boolean => FileValueKind.Boolean,
                TypeCode.DateTime => FileValueKind.Timestamp,
                _ when type == typeof(DateTimeOffset) => FileValueKind.Timestamp,
                _ when type == typeof(DateOnly) => FileValueKind.Date,
                _ when type == typeof(byte[]) => FileValueKind.Bytes,
                _ when type == typeof(Guid) => FileValueKind.Uuid,
                _ => FileValueKind.Text,
            });
        }

        return columns;
    }

    // The engine's rows own the inner reader and its connection and dispose them after this reader.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Type ClrType(FeatureType type) => type.IsList ? typeof(Array) : type.Kind switch
    {
        ScalarKind.Int32 => typeof(int),
        ScalarKind.Int64 => typeof(long),
        ScalarKind.Float32 => typeof(float),
        ScalarKind.Float64 => typeof(double),
        ScalarKind.Bool => typeof(bool),
        ScalarKind.UnixTimestamp => typeof(DateTimeOffset),
        ScalarKind.Bytes => typeof(byte[]),
        _ => typeof(string),
    };

    private int Inner(int ordinal) => ordinal < _entityColumns ? ordinal : _engineOrdinals[ordinal - _entityColumns];

    private FeatureType? Computed(int ordinal) =>
        ordinal >= _entityColumns && _engineOrdinals[ordinal - _entityColumns] < 0 ? _computed[ordinal - _entityColumns].Type : null;

    private FeatureValue Value(int ordinal) => _computed[ordinal - _entityColumns];

    private void Compute()
    {
        _row++;
        foreach (var plan in _plans)
        {
            plan.Fill(_inner, _row);
        }

        for (var c = 0; c < _computed.Length; c++)
        {
            var column = _layout.Columns[c];
            if (column.EngineColumn is null)
            {
                var state = _plans[column.Plan];
                _computed[c] = state.Plan.Features[column.Feature].Compute(state.Row, state.Inputs);
            }
        }
    }

    /// <summary>One on-demand view's per-row state, reused for every row: where each input comes from, and its cells.</summary>
    private sealed class PlanState
    {
        private readonly int[] _ordinals;
        private readonly FeatureValue[] _cells;

        private PlanState(OnDemandViewPlan plan, int[] ordinals, FeatureValue[] cells)
        {
            Plan = plan;
            _ordinals = ordinals;
            _cells = cells;
            Row = new OnDemandRow(cells);
            Inputs = new OnDemandInputs(plan.Ordinals, cells);
        }

        public OnDemandViewPlan Plan { get; }

        public OnDemandRow Row { get; }

        public OnDemandInputs Inputs { get; }

        public static PlanState For(HistoricalOnDemandLayout layout, int p, Dictionary<string, int> innerOrdinals, int entityColumns)
        {
            var plan = layout.Plans[p];
            var ordinals = new int[plan.Inputs.Length];
            Array.Fill(ordinals, -1);
            var cells = new FeatureValue[plan.Inputs.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = FeatureValue.Null(plan.Inputs[i].Type);
            }

            foreach (var column in layout.Columns)
            {
                if (column.EngineColumn is not null || column.Plan != p)
                {
                    continue;
                }

                // Only what the requested features read, as online: an entity table need not carry other fields.
                foreach (var i in plan.Features[column.Feature].Inputs)
                {
                    var input = plan.Inputs[i];
                    if (input.Source is { } source)
                    {
                        ordinals[i] = innerOrdinals[HistoricalOnDemandLayout.EngineColumn(source)];
                    }
                    else
                    {
                        ordinals[i] = EntityColumn(innerOrdinals, entityColumns, input.Name)
                            ?? throw new GranaryException(
                                ErrorCodes.InvalidArgument,
                                $"The entity table has no column '{input.Name}' ({input.Type}), a request field of on-demand feature view '{plan.Name}' that '{column.Reference}' reads; add it to the entity table, one value per row.");
                    }
                }
            }

            return new PlanState(plan, ordinals, cells);
        }

        public void Fill(DbDataReader reader, long row)
        {
            var inputs = Plan.Inputs;
            for (var i = 0; i < _ordinals.Length; i++)
            {
                if (_ordinals[i] < 0)
                {
                    continue;
                }

                var value = reader.IsDBNull(_ordinals[i]) ? null : reader.GetValue(_ordinals[i]);
                try
                {
                    _cells[i] = ClrValues.ToFeatureValue(value, inputs[i].Type);
                }
                catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
                {
                    var what = inputs[i].Source is null ? $"column '{inputs[i].Name}' of the entity table" : $"feature '{inputs[i].Source}'";
                    throw new GranaryException(
                        ErrorCodes.InvalidArgument,
                        $"Row {row + 1} of the training data: {what} is not a valid {inputs[i].Type} for on-demand feature view '{Plan.Name}' ({e.Message}).");
                }
            }
        }

        private static int? EntityColumn(Dictionary<string, int> ordinals, int entityColumns, string name) =>
            ordinals.TryGetValue(name, out var ordinal) && ordinal < entityColumns ? ordinal : null;
    }
}
