using System.Data.Common;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Granary.Historical;

/// <summary>
/// Training data as an ML.NET <see cref="IDataView"/>: each cursor runs the query in the offline engine and streams
/// its rows, so nothing is held in memory. Numbers become <c>Double</c> with null as <c>NaN</c> (ML.NET's missing
/// value), booleans <c>Boolean</c>, strings text, timestamps <c>DateTimeOffset</c> (UTC).
/// </summary>
/// <remarks>
/// The view is made over rows already opened (asynchronously, by <see cref="HistoricalFeatures.ToDataViewAsync"/>):
/// they give the schema and feed the first cursor, so the first pass neither runs the query twice nor blocks. ML.NET's
/// cursors are synchronous by contract, so a later pass opens its rows through <c>reopen</c>, which blocks. Disposing
/// the view releases rows no cursor took.
/// </remarks>
internal sealed class OfflineRowsDataView : IDataView, IDisposable
{
    private readonly Func<Offline.OfflineRows> _reopen;
    private readonly ColumnKind[] _kinds;
    private Offline.OfflineRows? _opened;

    public OfflineRowsDataView(Offline.OfflineRows opened, Func<Offline.OfflineRows> reopen)
    {
        _reopen = reopen;
        _opened = opened;
        var reader = opened.Reader;
        var builder = new DataViewSchema.Builder();
        _kinds = new ColumnKind[reader.FieldCount];
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _kinds[i] = KindOf(reader.GetFieldType(i));
            builder.AddColumn(reader.GetName(i), _kinds[i] switch
            {
                ColumnKind.Number => NumberDataViewType.Double,
                ColumnKind.Boolean => BooleanDataViewType.Instance,
                ColumnKind.Time => DateTimeOffsetDataViewType.Instance,
                _ => TextDataViewType.Instance,
            });
        }

        Schema = builder.ToSchema();
    }

    private enum ColumnKind
    {
        Number,
        Boolean,
        Time,
        Text,
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, Interlocked.Exchange(ref _opened, null) ?? _reopen());

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _opened, null) is { } rows)
        {
            new RowsHandle(rows).Dispose();
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static ColumnKind KindOf(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => ColumnKind.Boolean,
        TypeCode.DateTime => ColumnKind.Time,
        TypeCode.String => ColumnKind.Text,
        TypeCode.Object when type == typeof(DateTimeOffset) => ColumnKind.Time,
        TypeCode.Object => ColumnKind.Text,
        _ => ColumnKind.Number,
    };

    /// <summary>
    /// Disposes rows synchronously, since ML.NET's cursors are disposed synchronously. The reader and its connection
    /// complete their disposal without waiting on the caller's context, so this cannot deadlock on one.
    /// </summary>
    private readonly struct RowsHandle(Offline.OfflineRows rows) : IDisposable
    {
        public Offline.OfflineRows Value { get; } = rows;

        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed class Cursor(OfflineRowsDataView view, Offline.OfflineRows rows) : DataViewRowCursor
    {
        private readonly DbDataReader _reader = rows.Reader;
        private long _position = -1;
        private bool _disposed;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_disposed || !_reader.Read())
            {
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var i = column.Index;
            Delegate getter = view._kinds[i] switch
            {
                ColumnKind.Number => (ValueGetter<double>)((ref double v) => v = _reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(_reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)),
                ColumnKind.Boolean => (ValueGetter<bool>)((ref bool v) => v = !_reader.IsDBNull(i) && _reader.GetBoolean(i)),
                ColumnKind.Time => (ValueGetter<DateTimeOffset>)((ref DateTimeOffset v) => v = _reader.IsDBNull(i) ? default : ToUtc(_reader.GetValue(i))),
                _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = _reader.IsDBNull(i) ? ReadOnlyMemory<char>.Empty : Convert.ToString(_reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture).AsMemory()),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                new RowsHandle(rows).Dispose();
            }

            base.Dispose(disposing);
        }

        private static DateTimeOffset ToUtc(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => default,
        };
    }
}
