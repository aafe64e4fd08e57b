namespace Granary.Tests.Packaging;

/// <summary>The packages a release ships, by id.</summary>
internal static class PackageIds
{
    /// <summary>The command-line tool's package (`dotnet tool install granary`) and the command it installs.</summary>
    public const string Tool = "granary";

    /// <summary>The facade's package: the assembly is Granary, but NuGet ids ignore case and "granary" is the tool's.</summary>
    public const string Facade = "Granary.FeatureStore";

    public const string ToolCommand = "granary";

    /// <summary>
    /// The libraries every release has packages for. Every other project under src/ must be packed too (a new library
    /// joins by being there); these are the ones that must never silently stop being packed.
    /// </summary>
    public static IReadOnlyList<string> RequiredLibraries { get; } =
    [
        "Granary.Contracts",
        "Granary.Core",
        "Granary.Registry",
        "Granary.Offline",
        "Granary.Online",
        Facade,
        "Granary.Server",
    ];

    /// <summary>
    /// The libraries in <paramref name="repositoryRoot"/>'s src/: each project there but the tool, by its package id
    /// (its <c>PackageId</c>, else its file name).
    /// </summary>
    public static IReadOnlyList<string> Libraries(string repositoryRoot) =>
    [
        .. Directory.EnumerateFiles(Path.Combine(repositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(IdOf)
            .Where(id => id != Tool)
            .Union(RequiredLibraries)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The assembly a library package carries: its id, but for the facade's.</summary>
    public static string AssemblyOf(string id) => id == Facade ? "Granary" : id;

    private static string IdOf(string project) =>
        System.Xml.Linq.XDocument.Load(project).Descendants("PackageId").Select(e => e.Value.Trim()).FirstOrDefault()
        ?? Path.GetFileNameWithoutExtension(project);
}
