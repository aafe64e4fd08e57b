using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Registry.Diagnostics;

/// <summary>The registry's activity source and the attribute names of its spans (docs/observability.md).</summary>
internal static class RegistryTelemetry
{
    public static readonly ActivitySource Source = new(GranaryTelemetry.RegistryActivitySourceName, typeof(RegistryTelemetry).Assembly.GetName().Version?.ToString());

    // OpenTelemetry's database conventions where one fits; Granary's own under granary.*.
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string Project = "granary.project";
    public const string Version = "granary.registry.version";
    public const string ExpectedVersion = "granary.registry.expected_version";
    public const string Objects = "granary.registry.objects";
    public const string Dataset = "granary.dataset";
}
