namespace Granary.Registry.Storage;

internal static partial class RegistrySchema
{
    /// <summary>The tables of stored feature profiles (schema version 3).</summary>
    public static IEnumerable<string> ProfileStatements(string timestampType, string jsonType)
    {
        yield break;
    }
}
