using Granary.Cli.Quickstart;
using Granary.Cli.Templates;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Registry.Loading;
using Granary.Registry.Validation;

namespace Granary.Tests.Quickstart;

public sealed class RepositoryTemplatesTests : IDisposable
{
    // Small enough to generate in a blink; the data's shape, not its size, is what these tests check.
    private static readonly DemoDataOptions SmallData = new() { Users = 200, Ads = 20, Impressions = 5_000 };

    private readonly string _root = Directory.CreateTempSubdirectory("granary-template-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Minimal_writes_a_config_definitions_and_a_csv()
    {
        var result = await RepositoryTemplates.WriteAsync(RepositoryTemplates.Minimal, _root);

        Assert.Equal(["granary.yaml", "features.yaml", "data/customer_stats.csv", ".gitignore"], result.Files);
        Assert.Null(result.Data);
        Assert.Equal([".gitignore", "data/customer_stats.csv", "features.yaml", "granary.yaml"], FilesUnder(_root));
        Assert.Contains($"project: {RepositoryTemplates.ProjectNameFor(_root)}", await File.ReadAllTextAsync(Path.Combine(_root, "granary.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adtech_writes_the_quickstart_definitions_and_its_data()
    {
        var result = await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, SmallData);

        Assert.Equal(["granary.yaml", "entities.yaml", "user_features.yaml", "ad_features.yaml", "stream_features.yaml", "derived_features.yaml", "on_demand_features.yaml", "feature_services.yaml", "recipes/ctr_experiment.yaml", "config/dev.yaml", "config/prod.yaml", ".gitignore"], result.Files);
        Assert.NotNull(result.Data);
        Assert.Equal(SmallData.Impressions, result.Data.Files.Single(f => f.Name == "impressions.parquet").Rows);
        foreach (var name in DemoDataGenerator.FileNames)
        {
            Assert.True(File.Exists(Path.Combine(_root, "data", name)), name);
        }

        Assert.Contains("data/registry.db*", await File.ReadAllTextAsync(Path.Combine(_root, ".gitignore")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RepositoryTemplates.Minimal)]
    [InlineData(RepositoryTemplates.Adtech)]
    public async Task Every_template_loads_and_validates_against_its_own_data(string template)
    {
        await RepositoryTemplates.WriteAsync(template, _root, SmallData);

        var repository = RepositoryLoader.Load(_root);
        var diagnostics = new DiagnosticBag();
        await new DefinitionValidator(repository.Definitions, repository.Locations, diagnostics)
            .ValidateAsync(new DuckDbSourceSchemaInspector(), _root);

        Assert.Empty(repository.Diagnostics.Concat(diagnostics.Items).Select(d => d.ToString()));
        Assert.NotEmpty(repository.Definitions.FeatureViews);
        Assert.NotEmpty(repository.Definitions.FeatureServices);
    }

    [Theory]
    [InlineData(RepositoryTemplates.Minimal)]
    [InlineData(RepositoryTemplates.Adtech)]
    public async Task Every_declared_type_matches_its_column_in_the_data(string template)
    {
        await RepositoryTemplates.WriteAsync(template, _root, SmallData);
        var definitions = RepositoryLoader.Load(_root).Definitions;
        var inspector = new DuckDbSourceSchemaInspector();

        foreach (var view in definitions.FeatureViews)
        {
            if (view.Stream is not null || view.Derived is not null)
            {
                // A stream view's schema is its aggregates; plan checks the columns they read against the source.
                // A derived view's columns are what its query returns, which plan checks with the engine.
                continue;
            }

            var source = Assert.IsType<FileSource>(definitions.FindSource(view.Source));
            var schema = await inspector.InspectAsync(source, _root);
            var columns = schema!.Columns.ToDictionary(c => c.Name, c => c.EngineType);
            var declared = view.Schema.Select(f => (f.Name, f.Type))
                .Concat(view.Entities.Select(e => definitions.FindEntity(e)!).SelectMany(e => e.JoinKeys.Select(k => (k, e.ValueType))));
            foreach (var (name, type) in declared)
            {
                Assert.True(columns.TryGetValue(name, out var engineType), $"{view.Name}.{name} is not a column of {source.Path}");
                Assert.Equal(ExpectedEngineType(type), engineType);
            }
        }
    }

    [Fact]
    public async Task Refuses_a_folder_that_already_holds_a_repository()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "granary.yaml"), "project: mine\n");

        var e = await Assert.ThrowsAsync<GranaryException>(() => RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, SmallData));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("granary.yaml", e.Message, StringComparison.Ordinal);
        Assert.Equal(["granary.yaml"], FilesUnder(_root));
        Assert.Equal("project: mine\n", await File.ReadAllTextAsync(Path.Combine(_root, "granary.yaml")));
    }

    [Fact]
    public async Task Refuses_to_overwrite_a_definitions_file_and_writes_nothing()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "features.yaml"), "entities: []\n");

        var e = await Assert.ThrowsAsync<GranaryException>(() => RepositoryTemplates.WriteAsync(RepositoryTemplates.Minimal, _root));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Equal(["features.yaml"], FilesUnder(_root));
    }

    [Fact]
    public async Task An_unknown_template_is_an_invalid_argument_listing_the_names()
    {
        var e = await Assert.ThrowsAsync<GranaryException>(() => RepositoryTemplates.WriteAsync("fancy", _root));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("minimal, adtech", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp/my-features", "my_features")]
    [InlineData("/tmp/Ad Tech/", "ad_tech")]
    [InlineData("/tmp/2024-models", "p_2024_models")]
    [InlineData("/tmp/---", "my_features")]
    public void Project_names_are_identifiers_made_from_the_folder_name(string directory, string expected)
    {
        Assert.Equal(expected, RepositoryTemplates.ProjectNameFor(directory));
        Assert.True(Identifier.IsValid(expected));
    }

    private static string ExpectedEngineType(FeatureType type) => type.ToString() switch
    {
        "int32" => "INTEGER",
        "int64" => "BIGINT",
        "float32" => "FLOAT",
        "float64" => "DOUBLE",
        "string" => "VARCHAR",
        "bool" => "BOOLEAN",
        "unix_timestamp" => "TIMESTAMP WITH TIME ZONE",
        var other => throw new ArgumentOutOfRangeException(nameof(type), other, "No DuckDB type expected for this feature type."),
    };

    private static List<string> FilesUnder(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
}
