using System.Globalization;
using Granary.Streaming.Aggregation;

namespace Granary.Offline.Retrieval;

/// <summary>The SQL of a window's bounds, the same in every engine.</summary>
internal static class WindowSql
{
    /// <summary>
    /// <c>floor((t - W) / h) * h</c> in integer microseconds, for <paramref name="t"/> an integer expression: DuckDB's
    /// and PostgreSQL's <c>%</c> keep the dividend's sign, so the remainder is made non-negative first.
    /// </summary>
    public static string Start(string t, Window window)
    {
        var w = window.LengthMicros.ToString(CultureInfo.InvariantCulture);
        var h = window.HopMicros.ToString(CultureInfo.InvariantCulture);
        return $"(({t} - {w}) - (((({t} - {w}) % {h}) + {h}) % {h}))";
    }
}
