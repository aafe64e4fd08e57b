using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;

namespace Granary.Registry.Diagnostics;

/// <summary>The registry's activity source and the attribute names of its spans (docs/observability.md).</summary>
internal static class RegistryTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.RegistryActivitySourceName, typeof(RegistryTelemetry).Assembly.GetName().Version?.ToString());

    // OpenTelemetry's database conventions where one fits; Granary's own under granary.*.
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string ErrorType = "error.type";
    public const string Project = "granary.project";
    public const string Version = "granary.registry.version";
    public const string ExpectedVersion = "granary.registry.expected_version";
    public const string Objects = "granary.registry.objects";
    public const string Dataset = "granary.dataset";

    /// <summary>Marks a span failed as every Granary span is (<see cref="GranaryTelemetry.MarkFailed"/>).</summary>
    public static void Fail(Activity activity, Exception exception) => GranaryTelemetry.MarkFailed(activity, exception);
}
