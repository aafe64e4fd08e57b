namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>Online/offline parity of stream views on the embedded online store (the default).</summary>
public sealed class StreamParityEmbeddedTests : StreamParityContract
{
    protected override string? OnlineStoreYaml => null;

    protected override string NewProject() => "parity";
}
