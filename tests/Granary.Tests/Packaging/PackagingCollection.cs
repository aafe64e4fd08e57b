namespace Granary.Tests.Packaging;

/// <summary>
/// The tests of what <c>dotnet pack</c> makes: one <see cref="PackedSolution"/> for all of them, since packing the
/// solution is the slow part (the tool package carries every native library the CLI can load).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedSolution>
{
    public const string Name = "Packaging";
}
