using Granary.Core.Errors;
using Granary.Registry.Configuration;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Configuration;

/// <summary>The environment contract's <c>feature_store:</c> keys, mapped onto Granary's sections.</summary>
public sealed class FeatureStoreAliasTests
{
    private const string SeedBase = """
        feature_store:
          provider: "redis"
          connection_timeout: 5000
          retry_attempts: 3
          connection_info:
            redis_host: "localhost:6379"
            redis_db: 0
            redis_password: null
            offline_store_uri: "file://./local_features"
        """;

    private const string SeedProd = """
        feature_store:
          connection_info:
            redis_host: "prod-redis-cluster.company.com:6379"
            redis_db: 2
            redis_password: "${PROD_REDIS_PASSWORD}"
            offline_store_uri: "file://./prod_features"
          connection_pool_size: 100
          cache_ttl: 7200
          enable_monitoring: true
          monitoring_endpoint: "https://monitoring.company.com/features"
        """;

    private static string? ProdVariables(string name) => name == "PROD_REDIS_PASSWORD" ? "s3cret" : null;

    [Fact]
    public void The_seeds_redis_and_offline_keys_become_a_redis_online_store_and_a_duckdb_folder()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n").Write("config/base.yaml", SeedBase).Write("config/prod.yaml", SeedProd);

        var local = ConfigParser.Load(repo.Root, ProdVariables);
        var prod = ConfigParser.Load(repo.Root, ProdVariables, environment: "prod");

        Assert.Equal(("redis", "localhost:6379,defaultDatabase=0,connectTimeout=5000,connectRetry=3"), (local.OnlineStore.Type, local.OnlineStore["connection"]));
        Assert.Equal(("duckdb", "./local_features"), (local.OfflineStore.Type, local.OfflineStore["data_folder"]));
        Assert.Equal(
            ("redis", "prod-redis-cluster.company.com:6379,defaultDatabase=2,password=s3cret,connectTimeout=5000,connectRetry=3"),
            (prod.OnlineStore.Type, prod.OnlineStore["connection"]));
        Assert.Equal("./prod_features", prod.OfflineStore["data_folder"]);
    }

    [Fact]
    public void The_contract_keys_granary_does_not_map_are_warnings_naming_file_and_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n").Write("config/base.yaml", SeedBase).Write("config/prod.yaml", SeedProd + "\n  region: eu-west-1\n");

        var prod = ConfigParser.Load(repo.Root, ProdVariables, environment: "prod");

        var warnings = prod.Warnings.Select(w => (w.Location!.Value.File, w.Location!.Value.Line, w.Message)).ToList();
        Assert.Contains(warnings, w => w is ("config/prod.yaml", 7, _) && w.Message.Contains("'feature_store.connection_pool_size'", StringComparison.Ordinal) && w.Message.Contains("PostgreSQL", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Message.Contains("'feature_store.cache_ttl'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w is ("config/prod.yaml", 11, _) && w.Message.Contains("'feature_store.region'", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Message.Contains("'feature_store.enable_monitoring'", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Message.Contains("'feature_store.monitoring_endpoint'", StringComparison.Ordinal));
        Assert.Equal((true, false), (prod.MonitoringEnabled, prod.DebugLogging));
        Assert.Equal("https://monitoring.company.com/features", prod.Monitoring.DefaultWebhook);
    }

    [Fact]
    public void Cache_ttl_in_seconds_becomes_the_online_stores_cache_ttl_at_its_line_and_a_later_explicit_one_wins()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n").Write("config/base.yaml", SeedBase).Write("config/prod.yaml", SeedProd)
            .Write("config/staging.yaml", "online_store: {type: embedded, cache_ttl: 30s}\n")
            .Write("config/qa.yaml", "feature_store:\n  cache_ttl: 15m\n");

        var prod = ConfigParser.Load(repo.Root, ProdVariables, environment: "prod");
        var staging = ConfigParser.Load(repo.Root, ProdVariables, environment: "staging");
        var qa = ConfigParser.Load(repo.Root, ProdVariables, environment: "qa");

        Assert.Equal(("redis", "7200s"), (prod.OnlineStore.Type, prod.OnlineStore["cache_ttl"]));
        Assert.Equal(new SourceLocation("config/prod.yaml", 8, 14), prod.OnlineStore.Settings["cache_ttl"].Location);
        Assert.Equal(("embedded", "30s"), (staging.OnlineStore.Type, staging.OnlineStore["cache_ttl"]));
        Assert.Equal("15m", qa.OnlineStore["cache_ttl"]);
    }

    [Fact]
    public void Pool_size_and_timeout_reach_postgres_connection_strings_that_do_not_set_them_already()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            registry: {type: postgres, connection: "Host=db;Username=app"}
            offline_store: {type: postgres, connection: "Host=warehouse;Maximum Pool Size=7;Timeout=30"}
            feature_store:
              connection_pool_size: 100
              connection_timeout: 2500
            """);

        var config = ConfigParser.Load(repo.Root, ProdVariables);

        Assert.Equal("Host=db;Username=app;Maximum Pool Size=100;Timeout=3", config.Registry["connection"]);
        Assert.Equal("Host=warehouse;Maximum Pool Size=7;Timeout=30", config.OfflineStore["connection"]);
        Assert.DoesNotContain(config.Warnings, w => w.Message.Contains("connection_pool_size", StringComparison.Ordinal));
    }

    [Fact]
    public void An_offline_uri_of_another_scheme_is_refused_naming_the_supported_one()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n").Write("config/dev.yaml", "feature_store:\n  connection_info:\n    offline_store_uri: \"bq://dev-project.feature_mart\"\n");

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, ProdVariables, environment: "dev"));

        var error = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("config/dev.yaml", 3, 24), error.Location);
        Assert.Contains("bq://", error.Message, StringComparison.Ordinal);
        Assert.Contains("file://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_other_than_redis_is_refused()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nfeature_store:\n  provider: dynamodb\n");

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, ProdVariables));

        var error = Assert.Single(e.Diagnostics);
        Assert.Equal(("granary.yaml", 3), (error.Location!.Value.File, error.Location!.Value.Line));
        Assert.Contains("'dynamodb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_section_and_its_alias_in_one_file_is_an_error_naming_both_lines()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nonline_store: {type: redis, connection: \"a:6379\"}\nfeature_store:\n  provider: redis\n");

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, ProdVariables));

        var error = Assert.Single(e.Diagnostics);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_an_explicit_section_and_its_alias_the_later_file_wins()
    {
        using var repo = new TempRepository()
            .Write("granary.yaml", "project: p\nonline_store: {type: redis, connection: \"explicit:6379\"}\n")
            .Write("config/base.yaml", "feature_store:\n  provider: redis\n  connection_info: {redis_host: \"alias:6379\"}\n")
            .Write("config/prod.yaml", "online_store: {type: embedded}\n");

        var local = ConfigParser.Load(repo.Root, ProdVariables);
        var prod = ConfigParser.Load(repo.Root, ProdVariables, environment: "prod");

        Assert.Equal("alias:6379", local.OnlineStore["connection"]);
        Assert.Equal("embedded", prod.OnlineStore.Type);
    }

    [Fact]
    public async Task A_file_uri_makes_duckdb_read_relative_sources_from_that_folder()
    {
        using var repo = SampleRepository.Create()
            .Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 0", StringComparison.Ordinal))
            .Write("lake/data/user_stats.csv", SampleRepository.UserStatsCsv.Replace(",3,120.5", ",7,120.5", StringComparison.Ordinal))
            .Write("lake/data/items.csv", SampleRepository.ItemsCsv)
            .Write("config/lake.yaml", "registry: data/lake-registry.db\nonline_store: {type: embedded, path: data/lake-online.db}\nfeature_store:\n  offline_store_uri: \"file://./lake\"\n");

        foreach (var env in new[] { "lake", null })
        {
            string[] where = env is null ? ["--repo", repo.Root] : ["--repo", repo.Root, "--env", env];
            Assert.Equal(0, (await CliRunner.RunAsync(["apply", .. where])).Exit);
            var materialize = await CliRunner.RunAsync(["materialize", "2026-01-01", "2026-12-01", .. where]);
            Assert.True(materialize.Exit == 0, materialize.Err);
        }

        var fromLake = await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--env", "lake", "--repo", repo.Root);
        var fromRepository = await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root);

        Assert.Equal(7, ValueOf(fromLake.Out));
        Assert.Equal(3, ValueOf(fromRepository.Out));
    }

    private static int ValueOf(string getOnlineOutput)
    {
        using var json = System.Text.Json.JsonDocument.Parse(getOnlineOutput);
        return json.RootElement.GetProperty("value").GetInt32();
    }
}
