using Granary.Offline;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// The base of every offline capability's contract suite: each engine that offers <typeparamref name="TCapability"/>
/// runs the suite by deriving a class that says how to create the engine and its sources
/// (<see cref="EveryCapabilityRunsItsContractTests"/> checks that none is left out).
/// </summary>
public abstract class OfflineCapabilityContract<TCapability> : IAsyncLifetime
    where TCapability : class
{
    protected string Root { get; } = Directory.CreateTempSubdirectory("granary-offline-contract-").FullName;

    protected IOfflineEngine Engine { get; private set; } = null!;

    /// <summary>The capability under test, asked for as callers ask for it.</summary>
    protected TCapability Capability => Engine.Require<TCapability>("run its contract suite");

    public async Task InitializeAsync() => Engine = await CreateEngineAsync();

    public async Task DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }

    protected abstract Task<IOfflineEngine> CreateEngineAsync();
}
