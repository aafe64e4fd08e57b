namespace Granary.Tests.Infrastructure;

/// <summary>
/// The tests that share one <see cref="RedisServer"/>: mark a test class <c>[Collection(RedisCollection.Name)]</c> and
/// take the server in its constructor. The server starts once for all of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}
