using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

public sealed class ConfigParserTests
{
    private static string? Env(string name) => name switch
    {
        "PGHOST" => "db.internal",
        "PGPASS" => "s3cret",
        _ => null,
    };

    [Fact]
    public async Task Defaults_are_the_embedded_stores()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n");

        var config = ConfigParser.Load(repo.Root, Env);
        await using var store = new FeatureStoreBuilder(repo.Root).Build();

        Assert.Equal("p", config.Project);
        Assert.Equal("sqlite", config.Registry.Type);
        Assert.Equal(Path.Combine(repo.Root, "data", "registry.db"), store.RegistryLocation);
        Assert.Equal("duckdb", config.OfflineStore.Type);
        Assert.Equal("embedded", config.OnlineStore.Type);
    }

    [Fact]
    public void Connection_strings_expand_environment_variables_and_defaults()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            registry:
              type: postgres
              connection: "Host=${PGHOST};Password=${PGPASS};Port=${PGPORT:-5432}"
            offline_store: {type: postgres, connection: "Host=${PGHOST}"}
            online_store:
              type: redis
              connection: localhost:6379
            """);

        var config = ConfigParser.Load(repo.Root, Env);

        Assert.Equal("Host=db.internal;Password=s3cret;Port=5432", config.Registry["connection"]);
        Assert.Equal("Host=db.internal", config.OfflineStore["connection"]);
        Assert.Equal(("redis", "localhost:6379"), (config.OnlineStore.Type, config.OnlineStore["connection"]));
    }

    [Fact]
    public void Each_config_mistake_names_its_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: my-project
            registry: {type: postgres, connection: "Host=${NOPE}"}
            offline_store: {type: spark}
            online_store: {type: redis}
            onlin_store: {}
            """);

        // The parser's mistakes and the store providers' (an unknown type, a missing connection) come in one run.
        var e = Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(repo.Root).UseVariables(Env).Build());

        var lines = e.Diagnostics.Select(d => (d.Location!.Value.Line, d.Message)).ToList();
        Assert.Contains(lines, l => l.Line == 1 && l.Message.Contains("Invalid project name", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 2 && l.Message.Contains("NOPE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 3 && l.Message.Contains("'spark'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 4 && l.Message.Contains("needs 'connection'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 5 && l.Message.Contains("did you mean 'online_store'", StringComparison.Ordinal));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidConfig, d.Code));
    }

    [Fact]
    public void Monitoring_settings_default_to_no_serving_log_and_an_hourly_schedule()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\n");

        var monitoring = ConfigParser.Load(repo.Root, Env).Monitoring;

        Assert.Equal((0.0, TimeSpan.FromDays(30), TimeSpan.FromHours(1)), (monitoring.ServingSampleRate, monitoring.ServingLogRetention, monitoring.Schedule));
    }

    [Fact]
    public void Monitoring_settings_are_read_with_environment_variables()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            monitoring:
              serving_sample_rate: ${RATE:-0.25}
              serving_log_retention: 7d
              schedule: 15m
            """);

        var monitoring = ConfigParser.Load(repo.Root, Env).Monitoring;

        Assert.Equal((0.25, TimeSpan.FromDays(7), TimeSpan.FromMinutes(15)), (monitoring.ServingSampleRate, monitoring.ServingLogRetention, monitoring.Schedule));
    }

    [Fact]
    public void Each_monitoring_mistake_names_its_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            monitoring:
              serving_sample_rate: 1.5
              serving_log_retention: forever
              schedule: 0
              shedule: 1h
            """);

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, Env));

        var lines = e.Diagnostics.Select(d => (d.Location!.Value.Line, d.Message)).ToList();
        Assert.Contains(lines, l => l.Line == 3 && l.Message.Contains("from 0 to 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 4 && l.Message.Contains("'forever'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 5 && l.Message.Contains("positive duration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 6 && l.Message.Contains("did you mean 'schedule'", StringComparison.Ordinal));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidConfig, d.Code));
    }

    [Fact]
    public void A_folder_without_granary_yaml_is_not_a_repository()
    {
        using var repo = new TempRepository();

        var e = Assert.Throws<GranaryException>(() => ConfigParser.Load(repo.Root));

        Assert.Equal(ErrorCodes.InvalidConfig, e.Code);
        Assert.Contains("granary init", e.Message, StringComparison.Ordinal);
    }
}
