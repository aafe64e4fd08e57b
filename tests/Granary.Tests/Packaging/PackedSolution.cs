using System.Reflection;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Packaging;

/// <summary>
/// The solution packed into a temporary folder, as a user would (<c>dotnet pack Granary.slnx -c Release -o DIR</c>),
/// from the build the tests run from: <c>--no-build</c>, so packing adds no compilation, and in the configuration this
/// test assembly was built in (./test.sh builds the whole solution in Release before it runs the tests). Deleted with
/// everything installed from it when the tests are done.
/// </summary>
public sealed class PackedSolution : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private readonly Lazy<Task<string>> installedTool;

    public PackedSolution()
    {
        Root = Directory.CreateTempSubdirectory("granary-packaging-").FullName;
        PackageFolder = Path.Combine(Root, "packages");
        installedTool = new Lazy<Task<string>>(InstallToolOnceAsync);
    }

    /// <summary>The checkout the tests were built from: the folder holding Granary.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder every .nupkg and .snupkg of the solution was packed into.</summary>
    public string PackageFolder { get; }

    private string Root { get; }

    /// <summary>The configuration this test assembly (and so the solution beside it) was built in.</summary>
    public static string Configuration { get; } =
        typeof(PackedSolution).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly has no AssemblyConfigurationAttribute.");

    /// <summary>The version every package has: the build's, read from the CLI's assembly as `granary version` does.</summary>
    public static string Version { get; } =
        typeof(Granary.Cli.Commands.VersionCommand).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? throw new InvalidOperationException("Granary.Cli has no AssemblyInformationalVersionAttribute.");

    public async Task InitializeAsync()
    {
        var (exitCode, output) = await ExternalProcess.RunAsync("env", Dotnet(
            "pack", Path.Combine(RepositoryRoot, "Granary.slnx"), "-c", Configuration, "--no-build",
            "-o", PackageFolder, "-nodeReuse:false", "-v", "minimal",
            // The tool's package is made from a publish of the CLI (every dependency and native library, ~360 MB):
            // into the temporary folder, not the checkout's bin/.
            $"-p:PublishDir={Path.Combine(Root, "publish")}/"), PackTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet pack --no-build failed (exit code {exitCode}). It packs the solution's {Configuration} build, " +
                $"every project and target framework of it: build it first with `dotnet build Granary.slnx -c {Configuration}` " +
                "(./test.sh does). A file of one target framework missing (NU5026) after a build means its project sets " +
                $"TargetFrameworks without clearing the root's TargetFramework (<TargetFramework />).\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The path of a package in <see cref="PackageFolder"/>, e.g. ("Granary.Core", ".nupkg").</summary>
    public string PackagePath(string id, string extension) => Path.Combine(PackageFolder, $"{id}.{Version}{extension}");

    /// <summary>
    /// The granary tool installed from <see cref="PackageFolder"/> into a folder of its own (installed once, on first
    /// use): returns the path of its <c>granary</c> executable.
    /// </summary>
    public Task<string> InstallToolAsync() => installedTool.Value;

    private async Task<string> InstallToolOnceAsync()
    {
        // Only the pack output as a source, a NuGet and CLI home of the test's own: the install reaches no feed on the
        // network and leaves nothing in the user's ~/.nuget or ~/.dotnet/tools.
        var config = Path.Combine(Root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="granary-pack-output" value="{PackageFolder}" />
              </packageSources>
            </configuration>
            """);
        var toolPath = Path.Combine(Root, "tools");
        await ExternalProcess.RunCheckedAsync("env", Dotnet(
            "tool", "install", PackageIds.Tool, "--version", Version, "--tool-path", toolPath,
            "--configfile", config, "--ignore-failed-sources"), PackTimeout);
        return Path.Combine(toolPath, PackageIds.ToolCommand);
    }

    /// <summary>`env VAR=... dotnet ARGS`: the dotnet CLI with a home and package cache inside <see cref="Root"/>.</summary>
    private IEnumerable<string> Dotnet(params string[] arguments) =>
    [
        $"DOTNET_CLI_HOME={Path.Combine(Root, "home")}",
        $"NUGET_PACKAGES={Path.Combine(Root, "nuget-packages")}",
        "DOTNET_NOLOGO=1",
        "DOTNET_CLI_TELEMETRY_OPTOUT=1",
        "DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1",
        "MSBUILDDISABLENODEREUSE=1",
        "dotnet",
        .. arguments,
    ];

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Granary.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Granary.slnx above {AppContext.BaseDirectory}.");
    }
}
