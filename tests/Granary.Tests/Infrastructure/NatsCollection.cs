namespace Granary.Tests.Infrastructure;

/// <summary>
/// The tests that share one <see cref="NatsServer"/>: mark a test class <c>[Collection(NatsCollection.Name)]</c> and
/// take the server in its constructor. The server starts once for all of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NatsCollection : ICollectionFixture<NatsServer>
{
    public const string Name = "NATS";
}
