using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;
using Granary.Registry.Loading;
using Granary.Registry.Validation;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace Granary.Tests.Configuration;

public sealed class ConfigOverlayTests
{
    private static string? NoVariables(string name) => null;

    private static TempRepository Layered() => new TempRepository()
        .Write("granary.yaml", """
            project: p
            registry: data/registry.db
            online_store:
              type: redis
              connection: localhost:6379
              batch_bytes: 1000
            monitoring:
              serving_sample_rate: 0.5
              schedule: 2h
            """)
        .Write("config/base.yaml", """
            online_store:
              batch_bytes: 2000
            monitoring:
              schedule: 3h
            """)
        .Write("config/prod.yaml", """
            registry: data/prod-registry.db
            online_store:
              connection: prod-redis:6379
            monitoring:
              serving_sample_rate: 0.1
            """);

    [Fact]
    public void Maps_merge_key_by_key_and_later_files_win()
    {
        using var repo = Layered();

        var prod = ConfigParser.Load(repo.Root, NoVariables, environment: "prod");

        Assert.Equal(("redis", "prod-redis:6379", "2000"), (prod.OnlineStore.Type, prod.OnlineStore["connection"], prod.OnlineStore["batch_bytes"]));
        Assert.Equal((0.1, TimeSpan.FromHours(3)), (prod.Monitoring.ServingSampleRate, prod.Monitoring.Schedule));
        Assert.Equal("data/prod-registry.db", prod.Registry["path"]);
        Assert.Equal(["granary.yaml", "config/base.yaml", "config/prod.yaml"], prod.ConfigurationFiles);
        Assert.Equal("prod", prod.Environment);
    }

    [Fact]
    public void Without_an_environment_only_granary_yaml_and_base_apply()
    {
        using var repo = Layered();

        var config = ConfigParser.Load(repo.Root, NoVariables);

        Assert.Null(config.Environment);
        Assert.Equal(("localhost:6379", "2000"), (config.OnlineStore["connection"], config.OnlineStore["batch_bytes"]));
        Assert.Equal((0.5, TimeSpan.FromHours(3)), (config.Monitoring.ServingSampleRate, config.Monitoring.Schedule));
        Assert.Equal("data/registry.db", config.Registry["path"]);
    }

    [Fact]
    public void Lists_and_single_values_replace_rather_than_merge()
    {
        using var repo = new TempRepository()
            .Write("granary.yaml", "project: p\nfeature_store:\n  extra:\n    items: [a, b, c]\n    name: first\n    kept: yes\n")
            .Write("config/dev.yaml", "feature_store:\n  extra:\n    items: [z]\n    name: second\n");

        var layers = ConfigurationLayers.Read(repo.Root, "dev", new DiagnosticBag());

        var extra = (YamlMappingNode)((YamlMappingNode)layers.Root!["feature_store"])["extra"];
        var items = Assert.IsType<YamlSequenceNode>(extra["items"]);
        Assert.Equal(["z"], items.Children.Select(i => ((YamlScalarNode)i).Value));
        Assert.Equal(("second", "yes"), (((YamlScalarNode)extra["name"]).Value, ((YamlScalarNode)extra["kept"]).Value));
        Assert.Equal(new SourceLocation("config/dev.yaml", 3, 12), layers.Locate(items));
        Assert.Equal("granary.yaml", layers.FileOf(extra["kept"]));
    }

    [Fact]
    public void An_overlay_that_changes_a_stores_type_replaces_the_section_whole()
    {
        using var repo = Layered().Write("config/dev.yaml", "online_store: {type: embedded}\n");

        var dev = ConfigParser.Load(repo.Root, NoVariables, environment: "dev");

        Assert.Equal("embedded", dev.OnlineStore.Type);
        Assert.Empty(dev.OnlineStore.Settings);
    }

    [Fact]
    public void The_environment_option_wins_over_GRANARY_ENV_which_is_used_without_it()
    {
        using var repo = Layered().Write("config/staging.yaml", "online_store:\n  connection: staging-redis:6379\n");
        string? Variables(string name) => name == "GRANARY_ENV" ? "staging" : null;

        var chosen = ConfigParser.Load(repo.Root, Variables, environment: "prod");
        var fromVariable = ConfigParser.Load(repo.Root, Variables);

        Assert.Equal(("prod", "prod-redis:6379"), (chosen.Environment, chosen.OnlineStore["connection"]));
        Assert.Equal(("staging", "staging-redis:6379"), (fromVariable.Environment, fromVariable.OnlineStore["connection"]));
    }

    [Fact]
    public void A_named_environment_without_its_file_is_an_error_naming_the_path()
    {
        using var repo = Layered();

        var e = Assert.Throws<GranaryException>(() => ConfigParser.Load(repo.Root, NoVariables, environment: "qa"));

        Assert.Equal(ErrorCodes.InvalidConfig, e.Code);
        Assert.Contains(Path.Combine(repo.Root, "config", "qa.yaml"), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../prod")]
    [InlineData("base")]
    [InlineData("a b")]
    public void An_environment_name_that_is_not_a_plain_name_is_refused(string name)
    {
        using var repo = Layered();

        var e = Assert.Throws<GranaryException>(() => ConfigParser.Load(repo.Root, NoVariables, environment: name));

        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mistakes_in_an_overlay_name_its_file_and_line()
    {
        using var repo = Layered()
            .Write("config/base.yaml", "online_store:\n  connection: \"${REDIS_HOST}:6379\"\n")
            .Write("config/prod.yaml", "# prod\nmonitoring:\n  serving_sample_rate: 2\nonlin_store: {}\n");

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, NoVariables, environment: "prod"));

        var found = e.Diagnostics.Select(d => (d.Location!.Value.File, d.Location!.Value.Line, d.Message)).ToList();
        Assert.Contains(found, d => d is ("config/base.yaml", 2, _) && d.Message.Contains("'online_store.connection'", StringComparison.Ordinal) && d.Message.Contains("REDIS_HOST", StringComparison.Ordinal));
        Assert.Contains(found, d => d is ("config/prod.yaml", 3, _) && d.Message.Contains("serving_sample_rate", StringComparison.Ordinal));
        Assert.Contains(found, d => d is ("config/prod.yaml", 4, _) && d.Message.Contains("'onlin_store'", StringComparison.Ordinal) && d.Message.Contains("config/prod.yaml", StringComparison.Ordinal));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidConfig, d.Code));
    }

    [Fact]
    public void Variables_and_their_defaults_expand_in_every_file()
    {
        using var repo = Layered()
            .Write("config/base.yaml", "online_store:\n  batch_bytes: \"${BATCH:-4096}\"\n")
            .Write("config/prod.yaml", "online_store:\n  connection: \"${PROD_HOST}:6380\"\n");
        string? Variables(string name) => name == "PROD_HOST" ? "10.0.0.7" : null;

        var prod = ConfigParser.Load(repo.Root, Variables, environment: "prod");

        Assert.Equal(("10.0.0.7:6380", "4096"), (prod.OnlineStore["connection"], prod.OnlineStore["batch_bytes"]));
    }

    [Fact]
    public void Yaml_under_config_is_never_read_as_definitions()
    {
        using var repo = SampleRepository.Create();
        var entities = RepositoryLoader.Load(repo.Root).Definitions.Entities.Count;
        File.WriteAllText(Path.Combine(repo.Root, "extra.yaml"), "entities:\n  - name: store\n    join_keys: [store_id]\n    value_type: string\n");
        Directory.CreateDirectory(Path.Combine(repo.Root, "config"));
        File.WriteAllText(Path.Combine(repo.Root, "config", "shared.yaml"), "entities:\n  - name: merchant\n    join_keys: [merchant_id]\n    value_type: string\n");

        var loaded = RepositoryLoader.Load(repo.Root);

        Assert.True(loaded.Diagnostics.Count == 0, string.Join("; ", loaded.Diagnostics));
        Assert.Equal(entities + 1, loaded.Definitions.Entities.Count);
        Assert.DoesNotContain(loaded.Definitions.Entities, e => e.Name == "merchant");
        Assert.DoesNotContain(loaded.DefinitionFiles, f => f.StartsWith("config/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_builder_and_the_DI_options_open_the_environment_they_are_given()
    {
        using var repo = SampleRepository.Create();
        File.AppendAllText(Path.Combine(repo.Root, "granary.yaml"), "");
        Directory.CreateDirectory(Path.Combine(repo.Root, "config"));
        File.WriteAllText(Path.Combine(repo.Root, "config", "prod.yaml"), "registry: data/prod-registry.db\n");

        await using (var built = new FeatureStoreBuilder(repo.Root).UseEnvironment("prod").Build())
        {
            Assert.Equal(Path.Combine(repo.Root, "data", "prod-registry.db"), built.RegistryLocation);
        }

        await using var provider = new ServiceCollection().AddGranary(o => (o.RepositoryPath, o.Environment) = (repo.Root, "prod")).BuildServiceProvider();
        var store = provider.GetRequiredService<FeatureStore>();
        Assert.Equal(Path.Combine(repo.Root, "data", "prod-registry.db"), store.RegistryLocation);
    }
}
