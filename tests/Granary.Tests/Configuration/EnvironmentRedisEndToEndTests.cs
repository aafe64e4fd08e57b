using Granary.Tests.Infrastructure;

namespace Granary.Tests.Configuration;

/// <summary>
/// A <c>prod</c> overlay over a real password-protected Redis: the commands of that environment read and write only
/// its Redis and its registry, and the default environment's stay as they were. Run as real processes, since the
/// environment comes from <c>GRANARY_ENV</c> and the password from a variable.
/// </summary>
public sealed class EnvironmentRedisEndToEndTests(PasswordProtectedRedis redis) : IClassFixture<PasswordProtectedRedis>
{
    private const string PasswordVariable = "PROD_REDIS_PASSWORD";

    /// <summary>The sample, its user_stats kept for ever so a read says PRESENT, with a prod overlay in the seed's own keys.</summary>
    private TempRepository Repository() => SampleRepository.Create()
        .Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 0", StringComparison.Ordinal))
        .Write("config/prod.yaml", $$"""
            registry: data/prod-registry.db
            feature_store:
              provider: redis
              connection_timeout: 5000
              connection_info:
                redis_host: "{{redis.Server.Endpoint}}"
                redis_db: 0
                redis_password: "${{{PasswordVariable}}}"
            """);

    private static Dictionary<string, string?> Prod(string password) => new() { ["GRANARY_ENV"] = "prod", [PasswordVariable] = password };

    [Fact]
    public async Task Apply_materialize_and_get_online_under_GRANARY_ENV_prod_use_only_prods_redis_and_registry()
    {
        using var repo = Repository();
        var before = await KeyCountAsync();

        foreach (var command in new[] { (string[])["apply"], ["materialize", "2026-01-01", "2026-12-01"] })
        {
            var run = await CliProcess.RunAsync(repo.Root, Prod(redis.Password), command);
            Assert.True(run.Exit == 0, $"{string.Join(' ', command)}: {run.Err}");
        }

        var read = await CliProcess.RunAsync(repo.Root, Prod(redis.Password), "get-online", "--address", "user_stats:orders_7d:1");

        Assert.True(read.Exit == 0, read.Err);
        Assert.Contains("\"PRESENT\"", read.Out, StringComparison.Ordinal);
        Assert.True(await KeyCountAsync() > before, "materialize under prod wrote nothing to prod's Redis");
        Assert.True(File.Exists(Path.Combine(repo.Root, "data", "prod-registry.db")));

        // The default environment: its registry was never applied and its embedded online store never created.
        Assert.False(File.Exists(Path.Combine(repo.Root, "data", "registry.db")));
        Assert.False(File.Exists(Path.Combine(repo.Root, "data", "online.db")));
        var unapplied = await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root);
        Assert.Equal(1, unapplied.Exit);
        Assert.Contains("has not been applied", unapplied.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        var local = await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root);
        Assert.Contains("\"NOT_FOUND\"", local.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_not_the_clients_own()
    {
        using var repo = Repository();
        Assert.Equal(0, (await CliProcess.RunAsync(repo.Root, Prod(redis.Password), "apply")).Exit);

        var run = await CliProcess.RunAsync(repo.Root, Prod("not-the-password"), "materialize", "2026-01-01", "2026-12-01");

        Assert.Equal(1, run.Exit);
        Assert.Contains("refused the password", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("StackExchange", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", run.Err, StringComparison.Ordinal);
    }

    private async Task<int> KeyCountAsync() => int.Parse((await redis.Server.CliAsync("dbsize")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
