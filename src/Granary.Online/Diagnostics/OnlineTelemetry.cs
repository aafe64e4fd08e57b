using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Online.Diagnostics;

/// <summary>The online stores' activity source and the attribute names of their spans (docs/observability.md).</summary>
internal static class OnlineTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.OnlineActivitySourceName, typeof(OnlineTelemetry).Assembly.GetName().Version?.ToString());

    // OpenTelemetry's database conventions where one fits; Granary's own under granary.*.
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string StoreType = "granary.online_store.type";
    public const string Keys = "granary.online_store.keys";
    public const string Writes = "granary.online_store.writes";
    public const string Written = "granary.online_store.written";
    public const string FeatureView = "granary.feature_view";
}
