namespace Granary.Tests.Infrastructure;

/// <summary>
/// The tests that share one three-node <see cref="NatsCluster"/>: mark a test class
/// <c>[Collection(NatsClusterCollection.Name)]</c> and take the cluster in its constructor. A test that kills a
/// node starts a cluster of its own, so that the shared one stays whole for the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NatsClusterCollection : ICollectionFixture<NatsCluster>
{
    public const string Name = "NATS cluster";
}
