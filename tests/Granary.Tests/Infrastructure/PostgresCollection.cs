namespace Granary.Tests.Infrastructure;

/// <summary>
/// The tests that share one <see cref="PostgresServer"/>: mark a test class <c>[Collection(PostgresCollection.Name)]</c>
/// and take the server in its constructor. The server starts once for all of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
