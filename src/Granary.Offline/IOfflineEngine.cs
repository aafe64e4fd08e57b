using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline;

/// <summary>
/// What an offline provider creates: a named engine that offers capabilities, each a small interface
/// (<see cref="IPointInTimeReader"/>, <see cref="ILatestValuesReader"/>, <see cref="IPushLog"/>,
/// <see cref="Core.Sources.ISourceSchemaInspector"/>, <see cref="Core.Sources.ISourceIndexAdvisor"/>...). An engine
/// implements the capabilities it can; callers ask for the one they need (<see cref="OfflineCapabilities.Require{T}"/>),
/// so a new capability is a new interface that only the engines offering it implement. Every capability has a contract
/// suite that each engine offering it passes (<c>tests/Granary.Tests/Offline/Contracts/</c>).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IOfflineEngine : IAsyncDisposable
{
    /// <summary>The engine's name in <c>granary.yaml</c>: <c>duckdb</c> or <c>postgres</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The engine's <typeparamref name="TCapability"/>, or null when it has none. By default the engine itself when it
    /// implements the interface; an engine that wraps another (for tracing, say) returns the wrapped capability instead,
    /// without implementing every capability interface itself.
    /// </summary>
    TCapability? GetCapability<TCapability>()
        where TCapability : class => this as TCapability;
}
