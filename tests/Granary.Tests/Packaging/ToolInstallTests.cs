using Granary.Tests.Infrastructure;

namespace Granary.Tests.Packaging;

/// <summary>
/// The CLI installed as a user installs it, `dotnet tool install --add-source DIR granary`, from the solution's
/// pack output: the installed `granary` runs, with the native libraries (DuckDB, SQLite) its commands load.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class ToolInstallTests(PackedSolution packed) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);
    private readonly string workFolder = Directory.CreateTempSubdirectory("granary-tool-").FullName;

    [Fact]
    public async Task InstalledToolPrintsTheBuildsVersion()
    {
        var granary = await packed.InstallToolAsync();

        var output = await ExternalProcess.RunCheckedAsync(granary, ["version"], CommandTimeout);

        // RunCheckedAsync's output starts with the command line, then what the command printed.
        Assert.StartsWith($"granary {PackedSolution.Version} (.NET ", output.Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledToolCreatesAndPlansARepository()
    {
        var granary = await packed.InstallToolAsync();
        var repository = Path.Combine(workFolder, "features");

        await ExternalProcess.RunCheckedAsync(granary, ["init", repository, "--template", "adtech"], CommandTimeout);
        // plan validates every source against its data, through DuckDB's native library, and reads the SQLite registry.
        var plan = await ExternalProcess.RunCheckedAsync(granary, ["plan", "--repo", repository], CommandTimeout);

        Assert.Contains("+ feature view user_activity", plan, StringComparison.Ordinal);
        Assert.Contains("0 to change, 0 to remove", plan, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(workFolder, recursive: true);
}
