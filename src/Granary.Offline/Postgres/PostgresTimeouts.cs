using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Npgsql;

namespace Granary.Offline.Postgres;

/// <summary>
/// Recognizes the two ways a PostgreSQL statement runs out of time, and says which setting allowed how long: the
/// client's <c>Command Timeout</c> (Npgsql cancels the statement and reports a <see cref="TimeoutException"/>) and the
/// server's <c>statement_timeout</c> (PostgreSQL cancels it itself: SQLSTATE 57014 with that reason).
/// </summary>
internal static class PostgresTimeouts
{
    /// <summary>
    /// A <see cref="ErrorCodes.SourceTimeout"/> error for <paramref name="e"/> if it is a timeout, otherwise null.
    /// <paramref name="what"/> names the work ("the retrieval of 'v' for the entity query").
    /// </summary>
    public static GranaryException? Translate(Exception e, string what, int commandTimeoutSeconds)
    {
        if (IsServerTimeout(e))
        {
            return new GranaryException(
                ErrorCodes.SourceTimeout,
                $"PostgreSQL canceled {what}: it ran past the server's statement_timeout. Raise statement_timeout for the " +
                "role or database (ALTER ROLE ... SET statement_timeout = ...), or in offline_store's connection string " +
                "(Options=-c statement_timeout=0 lifts it); an index on each source's (join keys, event time) may also help.",
                e);
        }

        if (IsClientTimeout(e))
        {
            var seconds = commandTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
            return new GranaryException(
                ErrorCodes.SourceTimeout,
                $"PostgreSQL did not finish {what} within {seconds} s, the Command Timeout of offline_store's connection " +
                "string. Raise it (Command Timeout=300; 0 waits without limit); an index on each source's (join keys, " +
                "event time) may also help.",
                e);
        }

        return null;
    }

    /// <summary>The setting that stopped a statement <see cref="Translate"/> recognized as timed out, for the log.</summary>
    public static string LimitOf(Exception e, int commandTimeoutSeconds) =>
        IsServerTimeout(e)
            ? "the server's statement_timeout"
            : $"the connection string's Command Timeout of {commandTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s";

    private static bool IsServerTimeout(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            // 57014 is also a cancellation on request; only the server's own timer names statement_timeout.
            if (inner is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } pg
                && pg.MessageText.Contains("statement timeout", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsClientTimeout(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
