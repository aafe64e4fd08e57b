namespace Granary.Registry.Storage;

internal static partial class RegistrySchema
{
    /// <summary>The tables of the monitoring state: freshness, alert cool-downs (schema version 3).</summary>
    public static IEnumerable<string> MonitoringStatements(string timestampType, string jsonType)
    {
        yield break;
    }
}
