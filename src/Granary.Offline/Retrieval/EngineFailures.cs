using System.Net.Sockets;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Npgsql;

namespace Granary.Offline.Retrieval;

/// <summary>
/// Classifies an offline engine's failure by the driver's own signals, so that an engine that is gone reaches users as
/// unavailable (503, retry later) and only a request that cannot be answered as invalid (400). The table is in
/// docs/architecture.md ("Errors").
/// </summary>
internal static class EngineFailures
{
    public static EngineFailureKind Classify(Exception exception) => exception switch
    {
        PostgresException pg => OfPostgres(pg.SqlState, pg.MessageText),

        // Npgsql's own failures (no SQLSTATE) concern the connection: one that broke or could not open (IsTransient,
        // a socket or stream error inside) or a protocol it cannot follow. A client-side Command Timeout surfaces as
        // one with a TimeoutException inside.
        NpgsqlException { InnerException: TimeoutException } => EngineFailureKind.Timeout,
        NpgsqlException => EngineFailureKind.Unavailable,
        DuckDBException duck => OfDuckDb(duck.ErrorType),
        IOException or SocketException => EngineFailureKind.Unavailable,
        _ => EngineFailureKind.Unknown,
    };

    /// <summary>The kind of a PostgreSQL SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).</summary>
    public static EngineFailureKind OfPostgres(string sqlState, string messageText)
    {
        // 57014 is a cancel: the server's statement_timeout, or a request of ours (then the caller's token says so).
        if (sqlState == PostgresErrorCodes.QueryCanceled)
        {
            return messageText.Contains("statement timeout", StringComparison.OrdinalIgnoreCase) ? EngineFailureKind.Timeout : EngineFailureKind.Unknown;
        }

        return sqlState switch
        {
            // admin_shutdown, crash_shutdown, cannot_connect_now, database_dropped: the server is going or not there yet.
            "57P01" or "57P02" or "57P03" or "57P04" => EngineFailureKind.Unavailable,
            _ when sqlState.StartsWith("08", StringComparison.Ordinal) => EngineFailureKind.Unavailable, // connection exception
            _ when sqlState.StartsWith("53", StringComparison.Ordinal) => EngineFailureKind.Unavailable, // insufficient resources
            _ when sqlState.StartsWith("58", StringComparison.Ordinal) => EngineFailureKind.Unavailable, // system error (I/O)
            "40001" or "40P01" => EngineFailureKind.Unavailable, // serialization failure, deadlock: retry
            "3D000" => EngineFailureKind.Unavailable, // the configured database does not exist
            _ when sqlState.StartsWith("28", StringComparison.Ordinal) => EngineFailureKind.Unavailable, // the configured role cannot log in
            _ when sqlState.StartsWith("42", StringComparison.Ordinal) => EngineFailureKind.InvalidInput, // syntax, undefined or ambiguous name
            _ when sqlState.StartsWith("22", StringComparison.Ordinal) => EngineFailureKind.InvalidInput, // data exception
            _ => EngineFailureKind.Unknown,
        };
    }

    /// <summary>The kind of a DuckDB error type.</summary>
    public static EngineFailureKind OfDuckDb(DuckDBErrorType type) => type switch
    {
        // A source file that cannot be opened or fetched, or memory the engine cannot get (its memory_limit).
        DuckDBErrorType.Io or DuckDBErrorType.Http or DuckDBErrorType.OutOfMemory => EngineFailureKind.Unavailable,
        DuckDBErrorType.Interrupt => EngineFailureKind.Unknown,
        _ => EngineFailureKind.InvalidInput,
    };
}
