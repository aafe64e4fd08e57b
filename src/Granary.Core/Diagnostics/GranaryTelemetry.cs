using System.Diagnostics;
using Granary.Core.Errors;

namespace Granary.Core.Diagnostics;

/// <summary>
/// The names under which Granary publishes telemetry, for an application that collects it with OpenTelemetry:
/// <c>tracing.AddSource("Granary.*")</c> (or each of <see cref="ActivitySourceNames"/>) and
/// <c>metrics.AddMeter(GranaryTelemetry.MeterName)</c>. docs/observability.md lists the spans, attributes, series and
/// log events behind each name.
/// </summary>
public static class GranaryTelemetry
{
    /// <summary>The meter of Granary's metrics (<c>granary.server.request.duration</c>, ...).</summary>
    public const string MeterName = "Granary";

    /// <summary>Spans around registry store calls: loading, version checks, applies, saved datasets.</summary>
    public const string RegistryActivitySourceName = "Granary.Registry";

    /// <summary>Spans around offline engine calls: point-in-time joins, latest values, the push log.</summary>
    public const string OfflineActivitySourceName = "Granary.Offline";

    /// <summary>Spans around online store calls: reads, writes, watermarks.</summary>
    public const string OnlineActivitySourceName = "Granary.Online";

    /// <summary>Spans around materialization and push: a run per view and interval, a push batch.</summary>
    public const string MaterializationActivitySourceName = "Granary.Materialization";

    /// <summary>Spans of the feature server's own work on a request, beneath ASP.NET Core's request span.</summary>
    public const string ServerActivitySourceName = "Granary.Server";

    /// <summary>Every activity source above.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } =
    [
        RegistryActivitySourceName,
        OfflineActivitySourceName,
        OnlineActivitySourceName,
        MaterializationActivitySourceName,
        ServerActivitySourceName,
    ];

    /// <summary>
    /// Marks <paramref name="activity"/> failed as every Granary span is: its status, <c>error.type</c> (the stable
    /// code of a <see cref="GranaryException"/>, otherwise the exception's type) and the exception as an event. For
    /// providers that add spans of their own, so theirs read like Granary's.
    /// </summary>
    public static void MarkFailed(Activity activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(exception);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception is GranaryException granary ? granary.Code : exception.GetType().FullName);
        activity.AddException(exception);
    }

    /// <summary>
    /// Marks <paramref name="activity"/> failed when there is one (nobody listening: null) and returns false, so that a
    /// decorator can write <c>catch (Exception e) when (GranaryTelemetry.Failed(activity, e)) { throw; }</c> and the
    /// exception passes on with its stack untouched.
    /// </summary>
    internal static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            MarkFailed(activity, exception);
        }

        return false;
    }
}
