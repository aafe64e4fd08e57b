namespace Granary.Core.Providers;

/// <summary>The diagnostic id that marks the provider API as experimental.</summary>
public static class ProviderDiagnostics
{
    /// <summary>
    /// Reported where code uses a provider interface: they may still change between minor versions while the
    /// capabilities that come next (streaming, governance, quality) settle. Suppress it to write a provider.
    /// </summary>
    public const string ExperimentalId = "GRANARY0001";
}
