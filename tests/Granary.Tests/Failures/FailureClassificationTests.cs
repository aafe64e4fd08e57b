using System.Net.Sockets;
using DuckDB.NET.Native;
using Granary.Contracts.Errors;
using Granary.Offline.Retrieval;
using Granary.Online.Redis;
using Npgsql;
using StackExchange.Redis;

namespace Granary.Tests.Failures;

/// <summary>
/// The classification tables of docs/architecture.md ("Errors"): each driver signal to the kind of failure, and each
/// code to the HTTP status the server answers with.
/// </summary>
public sealed class FailureClassificationTests
{
    [Theory]
    [InlineData("08006", "Unavailable")] // connection_failure
    [InlineData("08001", "Unavailable")] // sqlclient_unable_to_establish_sqlconnection
    [InlineData("57P01", "Unavailable")] // admin_shutdown (pg_terminate_backend, a fast shutdown)
    [InlineData("57P02", "Unavailable")] // crash_shutdown
    [InlineData("57P03", "Unavailable")] // cannot_connect_now (starting up, shutting down)
    [InlineData("53100", "Unavailable")] // disk_full
    [InlineData("53300", "Unavailable")] // too_many_connections
    [InlineData("58030", "Unavailable")] // io_error
    [InlineData("40P01", "Unavailable")] // deadlock_detected
    [InlineData("3D000", "Unavailable")] // invalid_catalog_name: the configured database is absent
    [InlineData("28P01", "Unavailable")] // invalid_password
    [InlineData("42703", "InvalidInput")] // undefined_column
    [InlineData("42601", "InvalidInput")] // syntax_error
    [InlineData("42883", "InvalidInput")] // undefined_function (a type that does not compare)
    [InlineData("22P02", "InvalidInput")] // invalid_text_representation
    [InlineData("22007", "InvalidInput")] // invalid_datetime_format
    [InlineData("XX000", "Unknown")] // internal_error: a bug, surfaced as it is
    public void A_postgres_sqlstate_has_one_kind(string sqlState, string expected)
    {
        // The kind is named, since the enum is internal and a theory is public.
        Assert.Equal(expected, EngineFailures.OfPostgres(sqlState, "message").ToString());
        Assert.Equal(expected, EngineFailures.Classify(new PostgresException("message", "ERROR", "ERROR", sqlState)).ToString());
    }

    [Fact]
    public void A_cancel_is_a_timeout_only_when_the_server_timer_says_so()
    {
        Assert.Equal(EngineFailureKind.Timeout, EngineFailures.OfPostgres("57014", "canceling statement due to statement timeout"));
        Assert.Equal(EngineFailureKind.Unknown, EngineFailures.OfPostgres("57014", "canceling statement due to user request"));
    }

    [Fact]
    public void Npgsql_failures_without_a_sqlstate_are_the_connection_and_a_client_timeout_is_a_timeout()
    {
        Assert.Equal(EngineFailureKind.Unavailable, EngineFailures.Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(EngineFailureKind.Unavailable, EngineFailures.Classify(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.Equal(EngineFailureKind.Timeout, EngineFailures.Classify(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.Equal(EngineFailureKind.Unavailable, EngineFailures.Classify(new IOException("broken pipe")));
        Assert.Equal(EngineFailureKind.Unavailable, EngineFailures.Classify(new SocketException((int)SocketError.ConnectionReset)));
        Assert.Equal(EngineFailureKind.Unknown, EngineFailures.Classify(new InvalidOperationException("a bug")));
    }

    [Theory]
    [InlineData(DuckDBErrorType.Io, "Unavailable")]
    [InlineData(DuckDBErrorType.Http, "Unavailable")]
    [InlineData(DuckDBErrorType.OutOfMemory, "Unavailable")]
    [InlineData(DuckDBErrorType.Binder, "InvalidInput")]
    [InlineData(DuckDBErrorType.Parser, "InvalidInput")]
    [InlineData(DuckDBErrorType.Conversion, "InvalidInput")]
    [InlineData(DuckDBErrorType.InvalidInput, "InvalidInput")]
    [InlineData(DuckDBErrorType.Catalog, "InvalidInput")]
    public void A_duckdb_error_type_has_one_kind(DuckDBErrorType type, string expected) =>
        Assert.Equal(expected, EngineFailures.OfDuckDb(type).ToString());

    [Fact]
    public void Redis_connection_and_timeout_failures_are_unavailable_and_others_are_not()
    {
        Assert.True(RedisErrors.IsUnavailable(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "refused", null, CommandStatus.Unknown)));
        Assert.True(RedisErrors.IsUnavailable(new RedisTimeoutException(CommandFlags.None, "timed out", CommandStatus.Sent)));
        Assert.False(RedisErrors.IsUnavailable(new InvalidOperationException("a bug")));
        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, RedisErrors.Unavailable("localhost:6379", "read", new RedisTimeoutException(CommandFlags.None, "timed out", CommandStatus.Sent)).Code);
    }

    [Theory]
    [InlineData(ErrorCodes.RegistryUnavailable, 503)]
    [InlineData(ErrorCodes.SourceUnavailable, 503)]
    [InlineData(ErrorCodes.OnlineStoreUnavailable, 503)]
    [InlineData(ErrorCodes.SourceTimeout, 504)]
    [InlineData(ErrorCodes.InvalidArgument, 400)]
    public void Each_failure_code_has_its_http_status(string code, int status) =>
        Assert.Equal(status, ErrorCatalog.Find(code).HttpStatus);
}
