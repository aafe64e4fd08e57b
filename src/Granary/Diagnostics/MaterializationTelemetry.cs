using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Diagnostics;

/// <summary>
/// The <c>Granary.Materialization</c> activity source: one span per view materialized and per push, the parent of the
/// offline engine's and online store's spans beneath it (docs/observability.md).
/// </summary>
internal static class MaterializationTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.MaterializationActivitySourceName, typeof(MaterializationTelemetry).Assembly.GetName().Version?.ToString());

    public const string FeatureView = "granary.feature_view";
    public const string IntervalStart = "granary.materialize.start";
    public const string IntervalEnd = "granary.materialize.end";
    public const string Rows = "granary.rows";
    public const string Written = "granary.online_store.written";
    public const string PushSource = "granary.push_source";
    public const string PushTo = "granary.push.to";
}
