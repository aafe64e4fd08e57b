using System.Net;
using System.Net.Sockets;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>The rough edges of the command line: mistyped commands, where --repo appears, finding the repository, ports in use.</summary>
public sealed class CommandLineCliTests
{
    [Theory]
    [InlineData(new[] { "materialise", "now" }, "error: 'materialise' is not a command of 'granary'. Did you mean 'materialize'?")]
    [InlineData(new[] { "feature-views", "lst" }, "error: 'lst' is not a command of 'granary feature-views'. Did you mean 'list'?")]
    [InlineData(new[] { "plan", "--rep", "." }, "error: 'granary plan' has no option '--rep'. Did you mean '--repo'?")]
    public async Task A_mistyped_command_or_option_suggests_the_right_one_without_the_whole_help(string[] args, string expected)
    {
        var (exit, output, err) = await CliRunner.RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", err, StringComparison.Ordinal);
        Assert.Contains("--help' for its usage.", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", false)]
    [InlineData("quickstart", false)]
    [InlineData("plan", true)]
    [InlineData("teardown", true)]
    public async Task Help_shows_repo_only_on_commands_that_read_a_repository(string command, bool showsRepo)
    {
        var (exit, output, _) = await CliRunner.RunAsync(command, "--help");

        Assert.Equal(0, exit);
        Assert.Equal(showsRepo, output.Contains("--repo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repo_is_refused_by_version()
    {
        var (exit, _, err) = await CliRunner.RunAsync("version", "--repo", ".");

        Assert.Equal(1, exit);
        Assert.Contains("has no option '--repo'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_repo_the_nearest_granary_yaml_above_the_current_folder_is_used()
    {
        using var repo = SampleRepository.Create();
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        var nested = Directory.CreateDirectory(Path.Combine(repo.Root, "features", "deeper")).FullName;

        var (exit, output, err) = await CliProcess.RunAsync(nested, "feature-views", "list");

        Assert.True(exit == 0, err);
        Assert.Matches(@"user_stats\s+user\s+2\s+2d", output);
    }

    [Fact]
    public async Task Without_repo_and_without_granary_yaml_above_the_command_says_where_it_looked()
    {
        var outside = Directory.CreateTempSubdirectory("granary-no-repo-").FullName;
        try
        {
            var (exit, _, err) = await CliProcess.RunAsync(outside, "plan");

            Assert.Equal(1, exit);
            Assert.Contains($"No granary.yaml in {outside} or any folder above it.", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_on_a_port_in_use_fails_with_one_line_naming_the_port_and_its_option_and_no_stack_trace(bool grpc)
    {
        using var repo = SampleRepository.Create();
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] ports = grpc ? ["--port", "0", "--grpc-port", port] : ["--port", port, "--grpc-port", "-1"];

        var (exit, output, err) = await CliProcess.RunAsync(repo.Root, ["serve", .. ports]);

        Assert.Equal(1, exit);
        Assert.Equal($"error: port {port} on 127.0.0.1 is already in use (another 'granary serve'?). Stop what listens there, or choose another port with {(grpc ? "--grpc-port" : "--port")}.", err.Trim());
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }
}
