using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// The serving log as one table per project and view, <c>serving_log__&lt;project&gt;__&lt;view&gt;</c>, with typed
/// columns, created (with an index on <c>served_at</c>) on first use. Rows arrive by binary <c>COPY</c>, one statement
/// per batch, so a batch lands whole or not at all.
/// </summary>
internal sealed class PostgresServingLog(NpgsqlDataSource dataSource)
{
    // PostgreSQL truncates identifiers past 63 bytes; a long name keeps a prefix and a hash of the whole.
    private const int MaxIdentifier = 63;

    private readonly ConcurrentDictionary<string, bool> _created = new(StringComparer.Ordinal);

    public static string TableName(ServingLogTable table)
    {
        var name = $"{table.Log}__{table.Project}__{table.View}";
        if (Encoding.UTF8.GetByteCount(name) <= MaxIdentifier)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
        return name[..(MaxIdentifier - 13)] + "_" + hash;
    }

    public async Task AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var name = TableName(table);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await EnsureTableAsync(connection, table, name, cancellationToken);
            var columns = string.Join(", ", table.Columns().Select(PostgresSql.Quote));
            await using var import = await connection.BeginBinaryImportAsync($"COPY {PostgresSql.Quote(name)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var record in rows)
            {
                await import.StartRowAsync(cancellationToken);
                for (var k = 0; k < table.JoinKeys.Count; k++)
                {
                    await WriteAsync(import, table.JoinKeys[k].Type, record.Keys[k], cancellationToken);
                }

                await import.WriteAsync(record.ServedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                for (var f = 0; f < table.Features.Count; f++)
                {
                    await WriteAsync(import, table.Features[f].Type, record.Values[f], cancellationToken);
                }

                for (var f = 0; f < table.Features.Count; f++)
                {
                    if (record.Found[f] is { } found)
                    {
                        await import.WriteAsync(found, NpgsqlDbType.Boolean, cancellationToken);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidCastException && PostgresOfflineEngine.Classified(e, $"logging served rows of '{table.View}'") is { } unavailable)
        {
            throw unavailable;
        }
        catch (Exception e) when (e is PostgresException or InvalidCastException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Served rows of '{table.View}' do not fit its serving log table {name}: {(e as PostgresException)?.MessageText ?? e.Message}.", e);
        }
    }

    public static async Task<OfflineRows> ReadAsync(NpgsqlConnection connection, ServingLogTable table, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var name = TableName(table);
        var command = new NpgsqlCommand(await ExistsAsync(connection, name, cancellationToken)
            ? $"SELECT {string.Join(", ", table.Columns().Select(PostgresSql.Quote))} FROM {PostgresSql.Quote(name)} " +
              $"WHERE {PostgresSql.Quote(ServingLogTable.ServedAtColumn)} >= @start AND {PostgresSql.Quote(ServingLogTable.ServedAtColumn)} < @end " +
              $"ORDER BY {PostgresSql.Quote(ServingLogTable.ServedAtColumn)}"
            : $"SELECT {TypedNulls(table)} WHERE false", connection);
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.ToUniversalTime() });
        try
        {
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    public async Task<long> DeleteOlderThanAsync(ServingLogTable table, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var name = TableName(table);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ExistsAsync(connection, name, cancellationToken))
        {
            return 0;
        }

        await using var command = new NpgsqlCommand($"DELETE FROM {PostgresSql.Quote(name)} WHERE {PostgresSql.Quote(ServingLogTable.ServedAtColumn)} < @cutoff", connection);
        command.Parameters.Add(new NpgsqlParameter("cutoff", NpgsqlDbType.TimestampTz) { Value = cutoff.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnsureTableAsync(NpgsqlConnection connection, ServingLogTable table, string name, CancellationToken cancellationToken)
    {
        if (_created.ContainsKey(name))
        {
            return;
        }

        var columns = new List<string>();
        columns.AddRange(table.JoinKeys.Select(k => $"{PostgresSql.Quote(k.Name)} {PostgresType(k.Type)}"));
        columns.Add($"{PostgresSql.Quote(ServingLogTable.ServedAtColumn)} timestamptz NOT NULL");
        columns.AddRange(table.Features.Select(f => $"{PostgresSql.Quote(f.Name)} {PostgresType(f.Type)}"));
        columns.AddRange(table.Features.Select(f => $"{PostgresSql.Quote(f.Name + ServingLogTable.FoundSuffix)} boolean"));
        var index = PostgresSql.Quote(name.Length > MaxIdentifier - 11 ? name[..(MaxIdentifier - 11)] + "_served_at" : name + "_served_at");
        await using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {PostgresSql.Quote(name)} ({string.Join(", ", columns)}); " +
            $"CREATE INDEX IF NOT EXISTS {index} ON {PostgresSql.Quote(name)} ({PostgresSql.Quote(ServingLogTable.ServedAtColumn)})",
            connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another process created it between IF NOT EXISTS and the insert into the catalog: it exists now.
        }

        _created[name] = true;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", PostgresSql.Quote(name));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string TypedNulls(ServingLogTable table)
    {
        var columns = new List<string>();
        columns.AddRange(table.JoinKeys.Select(k => $"NULL::{PostgresType(k.Type)} AS {PostgresSql.Quote(k.Name)}"));
        columns.Add($"NULL::timestamptz AS {PostgresSql.Quote(ServingLogTable.ServedAtColumn)}");
        columns.AddRange(table.Features.Select(f => $"NULL::{PostgresType(f.Type)} AS {PostgresSql.Quote(f.Name)}"));
        columns.AddRange(table.Features.Select(f => $"NULL::boolean AS {PostgresSql.Quote(f.Name + ServingLogTable.FoundSuffix)}"));
        return string.Join(", ", columns);
    }

    private static string PostgresType(FeatureType type)
    {
        var scalar = type.Kind switch
        {
            ScalarKind.Int32 => "integer",
            ScalarKind.Int64 => "bigint",
            ScalarKind.Float32 => "real",
            ScalarKind.Float64 => "double precision",
            ScalarKind.Bool => "boolean",
            ScalarKind.Bytes => "bytea",
            ScalarKind.UnixTimestamp => "timestamptz",
            _ => "text",
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

    private static NpgsqlDbType DbType(FeatureType type)
    {
        var scalar = type.Kind switch
        {
            ScalarKind.Int32 => NpgsqlDbType.Integer,
            ScalarKind.Int64 => NpgsqlDbType.Bigint,
            ScalarKind.Float32 => NpgsqlDbType.Real,
            ScalarKind.Float64 => NpgsqlDbType.Double,
            ScalarKind.Bool => NpgsqlDbType.Boolean,
            ScalarKind.Bytes => NpgsqlDbType.Bytea,
            ScalarKind.UnixTimestamp => NpgsqlDbType.TimestampTz,
            _ => NpgsqlDbType.Text,
        };
        return type.IsList ? NpgsqlDbType.Array | scalar : scalar;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter import, FeatureType type, object? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return import.WriteNullAsync(cancellationToken);
        }

        object written = type.IsList ? value : type.Kind switch
        {
            ScalarKind.Int32 => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            ScalarKind.Int64 => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            ScalarKind.Float32 => Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture),
            ScalarKind.Float64 => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
            ScalarKind.UnixTimestamp when value is DateTimeOffset d => d.ToUniversalTime(),
            ScalarKind.String => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
            _ => value,
        };
        return import.WriteAsync(written, DbType(type), cancellationToken);
    }
}
