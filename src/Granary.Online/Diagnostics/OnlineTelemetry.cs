using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;

namespace Granary.Online.Diagnostics;

/// <summary>The online stores' activity source and the attribute names of their spans (docs/observability.md).</summary>
internal static class OnlineTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.OnlineActivitySourceName, typeof(OnlineTelemetry).Assembly.GetName().Version?.ToString());

    // OpenTelemetry's database conventions where one fits; Granary's own under granary.*.
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string ErrorType = "error.type";
    public const string StoreType = "granary.online_store.type";
    public const string Keys = "granary.online_store.keys";
    public const string Writes = "granary.online_store.writes";
    public const string Written = "granary.online_store.written";
    public const string FeatureView = "granary.feature_view";

    /// <summary>Marks a span failed as every Granary span is (<see cref="GranaryTelemetry.MarkFailed"/>).</summary>
    public static void Fail(Activity activity, Exception exception) => GranaryTelemetry.MarkFailed(activity, exception);
}
