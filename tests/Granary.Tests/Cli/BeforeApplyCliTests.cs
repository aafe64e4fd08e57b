using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>
/// A repository that was never applied: the commands that need applied definitions refuse with what to do, the
/// others work, and none of them leaves a file behind (no registry database, no online store).
/// </summary>
public sealed class BeforeApplyCliTests
{
    public static TheoryData<string[]> NeedApply => new()
    {
        new[] { "get-online", "--entity", "user_id=1", "--features", "user_stats:orders_7d" },
        new[] { "get-online", "--address", "user_stats:orders_7d:1" },
        new[] { "get-historical", "--entities", "entities.csv", "--features", "user_stats:orders_7d", "--output", "training.parquet" },
        new[] { "materialize", "2026-01-01", "now" },
        new[] { "materialize-incremental", "now" },
        new[] { "backfill", "user_stats", "--start", "2026-01-01", "--end", "now" },
        new[] { "validate", "user_stats" },
        new[] { "serve", "--port", "0", "--grpc-port", "-1" },
        new[] { "teardown", "--yes" },
    };

    public static TheoryData<string[]> WorkWithoutApply => new()
    {
        new[] { "plan" },
        new[] { "entities", "list" },
        new[] { "data-sources", "list" },
        new[] { "feature-views", "list" },
        new[] { "feature-services", "list" },
        new[] { "alerts", "list" },
        new[] { "saved-datasets", "list" },
        new[] { "history" },
        new[] { "projects", "list" },
        new[] { "registry-dump" },
    };

    [Theory]
    [MemberData(nameof(NeedApply))]
    public async Task Commands_that_need_applied_definitions_say_to_apply_first_and_create_no_file(string[] command)
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp\n1,2026-11-02T00:00:00Z\n");
        var before = Listing(repo.Root);

        var (exit, output, err) = await CliRunner.RunAsync([.. command.Select(a => a.EndsWith(".csv", StringComparison.Ordinal) || a.EndsWith(".parquet", StringComparison.Ordinal) ? Path.Combine(repo.Root, a) : a), "--repo", repo.Root]);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("Project 'shop' has not been applied yet: run `granary apply` first.", err, StringComparison.Ordinal);
        Assert.Equal(before, Listing(repo.Root));
    }

    [Theory]
    [MemberData(nameof(WorkWithoutApply))]
    public async Task Plan_and_read_commands_work_before_the_first_apply_and_create_no_file(string[] command)
    {
        using var repo = SampleRepository.Create();
        var before = Listing(repo.Root);

        var (exit, _, err) = await CliRunner.RunAsync([.. command, "--repo", repo.Root]);

        Assert.True(exit == 0, err);
        Assert.Equal(before, Listing(repo.Root));
    }

    [Fact]
    public async Task Apply_creates_the_registry_and_then_the_refused_commands_run()
    {
        using var repo = SampleRepository.Create();

        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        var materialize = await CliRunner.RunAsync("materialize", "2026-01-01", "2026-12-01", "--repo", repo.Root);

        Assert.True(materialize.Exit == 0, materialize.Err);
        Assert.True(File.Exists(Path.Combine(repo.Root, "data", "registry.db")));
    }

    /// <summary>Every file and folder under <paramref name="root"/>, relative, sorted.</summary>
    private static List<string> Listing(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal)];
}
