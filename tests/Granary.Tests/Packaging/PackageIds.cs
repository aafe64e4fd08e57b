namespace Granary.Tests.Packaging;

/// <summary>The packages a release ships, by id.</summary>
internal static class PackageIds
{
    /// <summary>The command-line tool's package (the CLI's assembly name) and the command it installs.</summary>
    public const string Tool = "Granary.Cli";

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
        "Granary",
        "Granary.Server",
    ];

    /// <summary>The libraries in <paramref name="repositoryRoot"/>'s src/: each project there but the tool.</summary>
    public static IReadOnlyList<string> Libraries(string repositoryRoot) =>
    [
        .. Directory.EnumerateFiles(Path.Combine(repositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(id => id != Tool)
            .Union(RequiredLibraries)
            .Order(StringComparer.Ordinal),
    ];
}
