using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// The query parameters the period-taking monitoring endpoints share (drift, report, consistency): the last value of a
/// parameter counts, and a blank one is absent.
/// </summary>
internal static class MonitoringQuery
{
    /// <summary>The trimmed value of <paramref name="name"/>, or null when absent or blank.</summary>
    public static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[^1]) ? values[^1]!.Trim() : null;

    /// <summary>The instant <paramref name="name"/> gives (ISO-8601, UTC unless a zone is given, or <c>now</c>), or null when absent.</summary>
    /// <exception cref="GranaryException">The value is not a time (<see cref="ErrorCodes.InvalidArgument"/>).</exception>
    public static DateTimeOffset? Time(IQueryCollection query, string name, TimeProvider time)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return time.GetUtcNow();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"{name}: '{text}' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.");
    }
}
