using System.Collections;
using System.Data.Common;
using Granary.Offline;
using Granary.Offline.Retrieval;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// Wraps the real engine's latest-values reader: counts the rows materialization reads, and at row
/// <see cref="FailAtRow"/> either fails the read as a driver would (<see cref="EngineReadFailed"/>) or, with
/// <see cref="NaNColumn"/> set, hands back NaN in that column, a value the encoder must refuse.
/// </summary>
internal sealed class FaultyRows(IOfflineEngine inner) : IOfflineEngine, ILatestValuesReader
{
    private readonly ILatestValuesReader _latest = inner.GetCapability<ILatestValuesReader>()!;
    private long _rowsRead;

    public long FailAtRow { get; init; } = long.MaxValue;

    public int? NaNColumn { get; init; }

    public long RowsRead => Interlocked.Read(ref _rowsRead);

    public string Name => inner.Name;

    public TCapability? GetCapability<TCapability>()
        where TCapability : class => this as TCapability ?? inner.GetCapability<TCapability>();

    public async Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default)
    {
        var rows = await _latest.ReadLatestAsync(request, cancellationToken);
        return new OfflineRows(new Reader(this, rows.Reader), rows);
    }

    public Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) =>
        _latest.CountLatestAsync(request, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    internal sealed class EngineReadFailed(string message) : DbException(message);

    private sealed class Reader(FaultyRows owner, DbDataReader rows) : DbDataReader
    {
        private long _row;

        public override int Depth => rows.Depth;

        public override int FieldCount => rows.FieldCount;

        public override bool HasRows => rows.HasRows;

        public override bool IsClosed => rows.IsClosed;

        public override int RecordsAffected => rows.RecordsAffected;

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(GetOrdinal(name));

        private bool Poisoned(int ordinal) => ordinal == owner.NaNColumn && _row == owner.FailAtRow;

        public override bool Read()
        {
            if (!rows.Read())
            {
                return false;
            }

            _row = Interlocked.Increment(ref owner._rowsRead);
            return _row == owner.FailAtRow && owner.NaNColumn is null
                ? throw new EngineReadFailed($"the engine lost its file at row {_row}")
                : true;
        }

        public override bool GetBoolean(int ordinal) => rows.GetBoolean(ordinal);

        public override byte GetByte(int ordinal) => rows.GetByte(ordinal);

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => rows.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

        public override char GetChar(int ordinal) => rows.GetChar(ordinal);

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => rows.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

        public override string GetDataTypeName(int ordinal) => rows.GetDataTypeName(ordinal);

        public override DateTime GetDateTime(int ordinal) => rows.GetDateTime(ordinal);

        public override decimal GetDecimal(int ordinal) => rows.GetDecimal(ordinal);

        public override double GetDouble(int ordinal) => Poisoned(ordinal) ? double.NaN : rows.GetDouble(ordinal);

        public override IEnumerator GetEnumerator() => rows.GetEnumerator();

        public override Type GetFieldType(int ordinal) => rows.GetFieldType(ordinal);

        public override float GetFloat(int ordinal) => rows.GetFloat(ordinal);

        public override Guid GetGuid(int ordinal) => rows.GetGuid(ordinal);

        public override short GetInt16(int ordinal) => rows.GetInt16(ordinal);

        public override int GetInt32(int ordinal) => rows.GetInt32(ordinal);

        public override long GetInt64(int ordinal) => rows.GetInt64(ordinal);

        public override string GetName(int ordinal) => rows.GetName(ordinal);

        public override int GetOrdinal(string name) => rows.GetOrdinal(name);

        public override string GetString(int ordinal) => rows.GetString(ordinal);

        public override object GetValue(int ordinal) => Poisoned(ordinal) ? double.NaN : rows.GetValue(ordinal);

        public override int GetValues(object[] values) => rows.GetValues(values);

        public override bool IsDBNull(int ordinal) => !Poisoned(ordinal) && rows.IsDBNull(ordinal);

        public override bool NextResult() => rows.NextResult();
    }
}
