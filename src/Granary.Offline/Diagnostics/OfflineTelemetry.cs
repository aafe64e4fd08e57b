using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Offline.Diagnostics;

/// <summary>The offline engines' activity source and the attribute names of their spans (docs/observability.md).</summary>
internal static class OfflineTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.OfflineActivitySourceName, typeof(OfflineTelemetry).Assembly.GetName().Version?.ToString());

    // OpenTelemetry's database conventions where one fits; Granary's own under granary.*.
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string EngineType = "granary.offline_engine.type";
    public const string FeatureViews = "granary.feature_views";
    public const string FeatureView = "granary.feature_view";
    public const string BatchSource = "granary.batch_source";
    public const string Rows = "granary.rows";
}
