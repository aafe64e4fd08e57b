namespace Granary.Tests.Packaging;

/// <summary>
/// What `dotnet pack` of the solution makes: a package for each library under src/, each with what nuget.org shows
/// and a debugger needs (README, licence, XML docs, symbols), and the CLI as a .NET tool.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageContentTests(PackedSolution packed)
{
    /// <summary>Every library under src/ (a new one is checked as soon as it is there), and the required ones.</summary>
    public static TheoryData<string> Libraries() => [.. PackageIds.Libraries(PackedSolution.RepositoryRoot)];

    [Fact]
    public void EveryProjectUnderSrcIsPackedAndNothingElseIs()
    {
        var expected = PackageIds.Libraries(PackedSolution.RepositoryRoot).Append(PackageIds.Tool).Order(StringComparer.Ordinal);
        var packages = Directory.EnumerateFiles(packed.PackageFolder, "*.nupkg")
            .Select(p => Path.GetFileName(p)[..^$".{PackedSolution.Version}.nupkg".Length])
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, packages);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryPackageHasItsMetadataReadmeLicenceAndDocs(string id)
    {
        using var package = new PackageArchive(packed.PackagePath(id, ".nupkg"));

        Assert.Equal(id, package.Get("id"));
        Assert.Equal(PackedSolution.Version, package.Get("version"));
        Assert.False(string.IsNullOrWhiteSpace(package.Get("description")), $"{id} has no description.");
        Assert.False(string.IsNullOrWhiteSpace(package.Get("authors")), $"{id} has no authors.");
        Assert.Contains("feature-store", package.Get("tags") ?? "", StringComparison.Ordinal);
        Assert.Equal("expression", package.Element("license")?.Attribute("type")?.Value);
        Assert.Equal("Apache-2.0", package.Get("license"));
        Assert.Contains("LICENSE", package.Entries);
        Assert.Contains("Apache License", package.ReadText("LICENSE"), StringComparison.Ordinal);

        Assert.Equal("README.md", package.Get("readme"));
        var readme = package.ReadText("README.md");
        Assert.StartsWith($"# {id}\n", readme, StringComparison.Ordinal);
        Assert.Contains("docs/", readme, StringComparison.Ordinal);

        var assemblies = package.Entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith($"/{PackageIds.AssemblyOf(id)}.dll", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assemblies);
        foreach (var assembly in assemblies)
        {
            Assert.Contains(assembly[..^".dll".Length] + ".xml", package.Entries);
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryPackageHasSymbolsForEachTargetFramework(string id)
    {
        using var package = new PackageArchive(packed.PackagePath(id, ".nupkg"));
        using var symbols = new PackageArchive(packed.PackagePath(id, ".snupkg"));

        var frameworks = package.Entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))
            .Select(e => e.Split('/')[1]).Distinct().ToList();
        Assert.NotEmpty(frameworks);
        foreach (var framework in frameworks)
        {
            Assert.Contains($"lib/{framework}/{PackageIds.AssemblyOf(id)}.pdb", symbols.Entries);
        }
    }

    [Fact]
    public void TheFacadeAndServerDependOnTheirSiblingsAtTheSameVersion()
    {
        using var facade = new PackageArchive(packed.PackagePath(PackageIds.Facade, ".nupkg"));
        using var server = new PackageArchive(packed.PackagePath("Granary.Server", ".nupkg"));

        foreach (var sibling in new[] { "Granary.Core", "Granary.Registry", "Granary.Offline", "Granary.Online" })
        {
            Assert.Contains(facade.Dependencies(), d => d.Id == sibling && d.Version == PackedSolution.Version);
        }

        Assert.Contains(server.Dependencies(), d => d.Id == PackageIds.Facade && d.Version == PackedSolution.Version);
        Assert.Contains(server.Dependencies(), d => d.Id == "Granary.Contracts" && d.Version == PackedSolution.Version);
    }

    [Fact]
    public void TheCliIsADotnetToolNamedGranary()
    {
        using var package = new PackageArchive(packed.PackagePath(PackageIds.Tool, ".nupkg"));

        Assert.Equal(PackageIds.Tool, package.Get("id"));
        Assert.Equal("DotnetTool", package.Element("packageTypes")?.Elements().Single().Attribute("name")?.Value);
        Assert.Equal("README.md", package.Get("readme"));
        Assert.Equal("Apache-2.0", package.Get("license"));
        var settings = package.Entries.Single(e => e.StartsWith("tools/", StringComparison.Ordinal) && e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        Assert.Contains($"Name=\"{PackageIds.ToolCommand}\"", package.ReadText(settings), StringComparison.Ordinal);
    }
}
