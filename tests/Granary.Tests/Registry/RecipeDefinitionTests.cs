using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Loading;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>
/// <c>recipes/&lt;name&gt;.yaml</c>: what loads (by name, by path, in C#), every mistake at its line in the recipe, plan
/// checking its namespaces and features against the views, and feature services declared from a recipe.
/// </summary>
public sealed class RecipeDefinitionTests
{
    private const string Experiment = """
        augmenter:
          type: feature_store
          features:
            - feature_namespace: user_stats
              features: [orders_7d, spend_7d]
            - feature_namespace: item_info
              features: [price]
        """;

    private static async Task<Diagnostic> SingleMistakeAsync(string recipe, string file = "recipes/experiment.yaml")
    {
        using var repo = SampleRepository.Create().Write(file, recipe);
        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(file, d.Location!.Value.File);
        return d;
    }

    [Fact]
    public void A_recipe_loads_by_name_and_by_path_with_its_namespaces_in_order()
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Experiment).Write("elsewhere/other.yaml", Experiment);

        var byName = RecipeLoader.Load(repo.Root, "experiment");
        var byPath = RecipeLoader.Load(repo.Root, Path.Combine(repo.Root, "elsewhere", "other.yaml"));

        Assert.Equal("experiment", byName.Name);
        Assert.Equal(["user_stats", "item_info"], byName.Features.Select(f => f.Namespace));
        Assert.Equal(["user_stats:orders_7d", "user_stats:spend_7d", "item_info:price"], byName.References().Select(r => r.ToString()));
        Assert.Equal("other", byPath.Name);
        Assert.Equal(byName.References(), byPath.References());
    }

    [Fact]
    public void An_unknown_recipe_name_is_not_found_with_the_closest_one()
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Experiment);

        var e = Assert.Throws<GranaryException>(() => RecipeLoader.Load(repo.Root, "experimnet"));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("did you mean 'experiment'", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Plan_accepts_a_valid_recipe_and_does_not_read_it_as_definitions()
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Experiment);
        await using var store = FeatureStore.Open(repo.Root);

        var plan = await store.PlanAsync();

        Assert.DoesNotContain("recipes/experiment.yaml", RepositoryLoader.Load(repo.Root).DefinitionFiles);
        Assert.Single(RepositoryLoader.Load(repo.Root).Recipes);
        Assert.NotEmpty(plan.Changes);
    }

    [Theory]
    [InlineData("augmenter:\n  type: feature_store\n  featurez: []\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d]}\n", 3, "Unknown key 'featurez'")]
    [InlineData("augmenter:\n  type: pass_through\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d]}\n", 2, "Unknown augmenter type 'pass_through'")]
    [InlineData("augmenter:\n  type: feature_store\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d], featurs: [spend_7d]}\n", 4, "Unknown key 'featurs'")]
    [InlineData("model: x\naugmenter:\n  type: feature_store\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d]}\n", 1, "Unknown key 'model'")]
    [InlineData("augmenter:\n  type: feature_store\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d, orders_7d]}\n", 4, "'user_stats:orders_7d' twice")]
    [InlineData("augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: user_stat\n      features: [orders_7d]\n", 4, "feature namespace 'user_stat', which is not a feature view; did you mean 'user_stats'?")]
    [InlineData("augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: user_stats\n      features:\n        - orders_7d\n        - spend_7x\n", 7, "feature 'spend_7x', which feature view 'user_stats' does not have; did you mean 'spend_7d'?")]
    public async Task A_recipe_mistake_is_reported_at_its_line(string recipe, int line, string expected)
    {
        var d = await SingleMistakeAsync(recipe);

        Assert.Equal(line, d.Location!.Value.Line);
        Assert.Contains(expected, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feature_service_declared_from_a_recipe_is_applied_with_the_recipe_features()
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Experiment)
            .Write("services.yaml", "feature_services:\n  - name: experiment_model\n    recipe: experiment\n");
        await using var store = FeatureStore.Open(repo.Root);

        await store.ApplyAsync();
        var registry = await store.GetRegistryAsync();

        var service = registry.Definitions.FindFeatureService("experiment_model");
        Assert.NotNull(service);
        Assert.Equal(RecipeLoader.Load(repo.Root, "experiment").References(), service.Features);
    }

    [Fact]
    public async Task A_service_from_a_recipe_with_an_unknown_feature_is_reported_once_at_the_recipe_line()
    {
        using var repo = SampleRepository.Create()
            .Write("recipes/experiment.yaml", "augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: user_stats\n      features: [orders_7x]\n")
            .Write("services.yaml", "feature_services:\n  - name: experiment_model\n    recipe: experiment\n");
        await using var store = FeatureStore.Open(repo.Root);

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(("recipes/experiment.yaml", 5), (d.Location!.Value.File, d.Location.Value.Line));
        Assert.Contains("orders_7x", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feature_services:\n  - name: s\n    features: [user_stats:orders_7d]\n    recipe: experiment\n", 4, "has both 'features' and 'recipe'")]
    [InlineData("feature_services:\n  - name: s\n    recipe: experimnet\n", 3, "no recipes/experimnet.yaml; did you mean 'experiment'?")]
    public async Task A_service_recipe_mistake_is_reported_at_its_line(string services, int line, string expected)
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Experiment).Write("services.yaml", services);
        await using var store = FeatureStore.Open(repo.Root);

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(("services.yaml", line), (d.Location!.Value.File, d.Location.Value.Line));
        Assert.Contains(expected, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recipe_may_name_a_stream_view_by_its_derived_features()
    {
        using var repo = await Streaming.StreamDefinitionRepository.CreateAsync();
        repo.Write("recipes/fraud.yaml", "augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: user_spend\n      features: [sum_amount_1h, count_lifetime]\n");
        await using var store = FeatureStore.Open(repo.Root);
        await store.PlanAsync();

        repo.Write("recipes/fraud.yaml", "augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: user_spend\n      features: [sum_amount_2h]\n");
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(("recipes/fraud.yaml", 5), (d.Location!.Value.File, d.Location.Value.Line));
        Assert.Contains("feature 'sum_amount_2h', which feature view 'user_spend' does not have", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_built_in_csharp_declares_a_feature_service()
    {
        var recipe = new Recipe { Name = "experiment", Features = [new FeatureSpec("user_stats", ["orders_7d", "spend_7d"])] };

        var definitions = new RepositoryBuilder().FeatureService("experiment_model", recipe).Build();

        Assert.Equal([new FeatureReference("user_stats", "orders_7d"), new FeatureReference("user_stats", "spend_7d")], definitions.FeatureServices[0].Features);
    }
}
