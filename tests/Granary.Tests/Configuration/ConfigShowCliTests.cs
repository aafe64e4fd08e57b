using System.Text.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Configuration;

public sealed class ConfigShowCliTests
{
    private static TempRepository Layered() => new TempRepository()
        .Write("granary.yaml", "project: shop\nregistry: data/registry.db\n")
        .Write("config/base.yaml", "online_store:\n  type: redis\n  connection: base-redis:6379\n")
        .Write("config/prod.yaml", "online_store:\n  connection: prod-redis:6379,password=hunter2\nmonitoring:\n  schedule: 15m\n");

    private static JsonElement Value(JsonDocument json, string key) =>
        json.RootElement.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("key").GetString() == key);

    private static JsonElement Store(JsonDocument json, string section) =>
        json.RootElement.GetProperty("stores").EnumerateArray().Single(v => v.GetProperty("section").GetString() == section);

    [Fact]
    public async Task Each_value_names_the_file_and_line_it_came_from()
    {
        using var repo = Layered();

        var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--env", "prod", "--format", "json", "--repo", repo.Root);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("prod", json.RootElement.GetProperty("environment").GetString());
        Assert.Equal(["granary.yaml", "config/base.yaml", "config/prod.yaml"], json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(("shop", "granary.yaml", 1), Provenance(Value(json, "project")));
        Assert.Equal(("redis", "config/base.yaml", 2), Provenance(Value(json, "online_store.type")));
        Assert.Equal(("prod-redis:6379,password=***", "config/prod.yaml", 2), Provenance(Value(json, "online_store.connection")));
        Assert.Equal(("15m", "config/prod.yaml", 4), Provenance(Value(json, "monitoring.schedule")));
    }

    [Fact]
    public async Task A_store_the_overlay_does_not_set_is_shown_as_inherited_from_its_file()
    {
        using var repo = Layered();

        var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--env", "prod", "--format", "json", "--repo", repo.Root);
        var text = await CliRunner.RunAsync("config", "show", "--env", "prod", "--repo", repo.Root);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var registry = Store(json, "registry");
        Assert.Equal(("sqlite", "granary.yaml", true), (registry.GetProperty("type").GetString(), registry.GetProperty("file").GetString(), registry.GetProperty("inherited").GetBoolean()));
        var online = Store(json, "online_store");
        Assert.Equal(("redis", "config/prod.yaml", false), (online.GetProperty("type").GetString(), online.GetProperty("file").GetString(), online.GetProperty("inherited").GetBoolean()));
        var offline = Store(json, "offline_store");
        Assert.Equal(JsonValueKind.Null, offline.GetProperty("file").ValueKind);
        Assert.Contains("registry: sqlite, inherited from granary.yaml", text.Out, StringComparison.Ordinal);
        Assert.Contains("offline_store: duckdb, the default", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_never_reach_the_output_by_any_of_the_masking_rules()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var tokenVariable = $"GRANARY_TEST_{suffix}_TOKEN";
        var hostVariable = $"GRANARY_TEST_{suffix}_HOST";
        Environment.SetEnvironmentVariable(tokenVariable, "from-token-variable:6379");
        Environment.SetEnvironmentVariable(hostVariable, "shown-host");
        try
        {
            using var repo = new TempRepository()
                .Write("granary.yaml", $$"""
                    project: shop
                    registry:
                      type: postgres
                      connection: "Host=${{{hostVariable}}};Username=app;Password=pg-hunter2"
                    online_store:
                      type: redis
                      connection: "${{{tokenVariable}}}"
                    feature_store:
                      api_key: key-hunter2
                      monitoring_endpoint: "https://ops:url-hunter2@monitoring.example.com/features"
                      connection_info:
                        join_keys: user_id
                    """);

            var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--format", "json", "--repo", repo.Root);
            var text = await CliRunner.RunAsync("config", "show", "--repo", repo.Root);

            Assert.True(exit == 0, error);
            foreach (var secret in (string[])["pg-hunter2", "from-token-variable", "key-hunter2", "url-hunter2"])
            {
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, text.Out, StringComparison.Ordinal);
            }

            using var json = JsonDocument.Parse(output);
            Assert.Equal("Host=shown-host;Username=app;Password=***", Value(json, "registry.connection").GetProperty("value").GetString());
            Assert.Equal("***", Value(json, "online_store.connection").GetProperty("value").GetString());
            Assert.Equal("***", Value(json, "feature_store.api_key").GetProperty("value").GetString());
            Assert.Equal("https://monitoring.example.com/…", Value(json, "feature_store.monitoring_endpoint").GetProperty("value").GetString());
            Assert.Equal("user_id", Value(json, "feature_store.connection_info.join_keys").GetProperty("value").GetString());
            Assert.Equal("***", Store(json, "online_store").GetProperty("settings").GetProperty("connection").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenVariable, null);
            Environment.SetEnvironmentVariable(hostVariable, null);
        }
    }

    [Fact]
    public async Task A_mistake_in_an_overlay_fails_the_command_naming_file_and_line()
    {
        using var repo = Layered().Write("config/dev.yaml", "# dev\nonline_stor: {}\n");

        var (exit, _, error) = await CliRunner.RunAsync("config", "show", "--env", "dev", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("config/dev.yaml:2", error, StringComparison.Ordinal);
        Assert.Contains("'online_stor'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_that_takes_repo_also_takes_env()
    {
        var withRepo = 0;
        foreach (var command in Commands(Granary.Cli.GranaryCli.BuildRootCommand()))
        {
            if (command.Options.Contains(Granary.Cli.Commands.CommonOptions.Repo))
            {
                withRepo++;
                Assert.True(command.Options.Contains(Granary.Cli.Commands.CommonOptions.Env), $"'{command.Name}' takes --repo but not --env");
            }
        }

        Assert.True(withRepo > 20, $"only {withRepo} commands take --repo");
    }

    private static IEnumerable<System.CommandLine.Command> Commands(System.CommandLine.Command root)
    {
        foreach (var sub in root.Subcommands)
        {
            yield return sub;
            foreach (var nested in Commands(sub))
            {
                yield return nested;
            }
        }
    }

    private static (string?, string?, int) Provenance(JsonElement value) =>
        (value.GetProperty("value").GetString(), value.GetProperty("file").GetString(), value.GetProperty("line").GetInt32());
}
