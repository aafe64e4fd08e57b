using Granary.Offline;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// The base of every offline capability's contract suite: each engine that offers <typeparamref name="TCapability"/>
/// runs the suite by deriving a class that says how to create the engine and its sources
/// (<see cref="EveryCapabilityRunsItsContractTests"/> checks that none is left out).
/// </summary>
public abstract class OfflineCapabilityContract<TEngine, TCapability> : IAsyncLifetime
    where TEngine : IOfflineEngine
    where TCapability : class
{
    protected string Root { get; } = Directory.CreateTempSubdirectory("granary-offline-contract-").FullName;

    protected TEngine Engine { get; private set; } = default!;

    /// <summary>The capability under test, asked for as callers ask for it.</summary>
    protected TCapability Capability => ((IOfflineEngine)Engine).Require<TCapability>("run its contract suite");

    public async Task InitializeAsync() => Engine = await CreateEngineAsync();

    public async Task DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }

    protected abstract Task<TEngine> CreateEngineAsync();
}
