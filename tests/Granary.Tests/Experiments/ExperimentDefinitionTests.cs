using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Loading;
using Granary.Registry.Planning;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Experiments;

/// <summary>
/// The repository's <c>experiments:</c> list: what loads, mistakes at their lines (shares, selectors, versions the
/// view lacks), plan/apply/history, canonical JSON and the C# builder.
/// </summary>
public sealed class ExperimentDefinitionTests
{
    private static string Experiment(string variants) =>
        "experiments:\n  - name: ranker_test\n    feature_view: user_stats\n    description: new stats\n    variants:\n" + variants;

    private const string TwoVariants = "      - {name: control, version: v1, share: 0.5}\n      - {name: treatment, version: 1.0.0, share: 0.5}\n";

    private static async Task<Diagnostic> SingleMistakeAsync(string yaml)
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", yaml);
        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("experiments.yaml", d.Location!.Value.File);
        return d;
    }

    [Fact]
    public void Experiments_load_with_their_view_and_variants_in_order()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiment("      - {name: b, version: v2, share: 0.1}\n      - {name: a, version: 1.2.3, share: 0.2}\n      - {name: c, version: v1, share: 0.7}\n"));

        var loaded = RepositoryLoader.Load(repo.Root);

        Assert.Empty(loaded.Diagnostics);
        var experiment = Assert.Single(loaded.Definitions.Experiments);
        Assert.Equal(("ranker_test", "user_stats", "new stats"), (experiment.Name, experiment.FeatureView, experiment.Description));
        Assert.Equal(["b", "a", "c"], experiment.Variants.Select(v => v.Name));
        Assert.Equal([FeatureVersionSelector.NewestOfMajor(2), FeatureVersionSelector.Exactly(1, 2, 3), FeatureVersionSelector.NewestOfMajor(1)], experiment.Variants.Select(v => v.Version));
        Assert.Equal([0.1, 0.2, 0.7], experiment.Variants.Select(v => v.Share));
    }

    [Fact]
    public async Task Shares_that_do_not_sum_to_one_are_refused_at_the_variants_line()
    {
        var d = await SingleMistakeAsync(Experiment("      - {name: control, version: v1, share: 0.5}\n      - {name: treatment, version: v1, share: 0.4}\n"));

        Assert.Contains("sum to 0.9; they must sum to 1", d.Message, StringComparison.Ordinal);
        Assert.Equal(6, d.Location!.Value.Line);
    }

    [Theory]
    [InlineData("version: latest", "Invalid 'version' of variant 'treatment'")]
    [InlineData("version: 2", "Invalid 'version' of variant 'treatment'")]
    [InlineData("version: v1, share: 0", "Invalid 'share' of variant 'treatment'")]
    [InlineData("version: v1, colour: red", "colour")]
    public async Task A_bad_variant_is_refused_at_its_own_line(string fields, string message)
    {
        var d = await SingleMistakeAsync(Experiment($"      - {{name: control, version: v1, share: 0.5}}\n      - {{name: treatment, {fields}{(fields.Contains("share", StringComparison.Ordinal) ? "" : ", share: 0.5")}}}\n"));

        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Equal(7, d.Location!.Value.Line);
    }

    [Fact]
    public async Task A_version_the_view_does_not_have_is_refused_at_the_variants_line_naming_the_versions_it_has()
    {
        var d = await SingleMistakeAsync(Experiment("      - {name: control, version: v1, share: 0.5}\n      - {name: treatment, version: v2, share: 0.5}\n"));

        Assert.Equal(ErrorCodes.UnknownReference, d.Code);
        Assert.Contains("Variant 'treatment' of experiment 'ranker_test'", d.Message, StringComparison.Ordinal);
        Assert.Contains("it has 1.0.0", d.Message, StringComparison.Ordinal);
        Assert.Equal(7, d.Location!.Value.Line);
    }

    [Fact]
    public async Task An_experiment_on_an_unknown_view_is_refused_with_a_suggestion()
    {
        var d = await SingleMistakeAsync(Experiment(TwoVariants).Replace("feature_view: user_stats", "feature_view: user_stat", StringComparison.Ordinal));

        Assert.Contains("unknown feature view 'user_stat'; did you mean 'user_stats'?", d.Message, StringComparison.Ordinal);
        Assert.Equal(3, d.Location!.Value.Line);
    }

    [Fact]
    public async Task Plan_and_apply_add_change_and_remove_an_experiment_and_history_records_each()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiment(TwoVariants));
        await using var store = FeatureStore.Open(repo.Root);

        var added = await store.PlanAsync();
        var add = Assert.Single(added.Changes, c => c.Kind == ObjectKind.Experiment);
        Assert.Equal(("ranker_test", ChangeAction.Add), (add.Name, add.Action));
        await store.ApplyAsync(added);
        var applied = Assert.Single((await store.GetRegistryAsync()).Definitions.Experiments);
        Assert.Equal(["control", "treatment"], applied.Variants.Select(v => v.Name));

        repo.Write("experiments.yaml", Experiment(TwoVariants.Replace("share: 0.5}\n      - {name: treatment, version: 1.0.0, share: 0.5", "share: 0.25}\n      - {name: treatment, version: 1.0.0, share: 0.75", StringComparison.Ordinal)));
        var changed = await store.PlanAsync();
        var update = Assert.Single(changed.Changes);
        Assert.Equal((ObjectKind.Experiment, ChangeAction.Update), (update.Kind, update.Action));
        Assert.Contains(update.Properties, p => p.ToString().Contains("0.25", StringComparison.Ordinal));
        await store.ApplyAsync(changed);
        Assert.Equal([0.25, 0.75], Assert.Single((await store.GetRegistryAsync()).Definitions.Experiments).Variants.Select(v => v.Share));

        File.Delete(Path.Combine(repo.Root, "experiments.yaml"));
        var removed = await store.PlanAsync();
        Assert.Equal((ObjectKind.Experiment, ChangeAction.Remove), (Assert.Single(removed.Changes).Kind, removed.Changes[0].Action));
        await store.ApplyAsync(removed);

        Assert.Empty((await store.GetRegistryAsync()).Definitions.Experiments);
        var history = await store.GetHistoryAsync();
        Assert.Equal([3L, 2L, 1L], history.Select(h => h.Version));
        Assert.Contains("\"experiments\"", history[1].Definitions, StringComparison.Ordinal);
        Assert.DoesNotContain("\"experiments\"", history[0].Definitions, StringComparison.Ordinal);
    }

    [Fact]
    public void The_canonical_json_reads_back_to_the_same_experiment()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiment("      - {name: a, version: v2, share: 0.1}\n      - {name: b, version: 1.2.3, share: 0.9}\n"));
        var loaded = Assert.Single(RepositoryLoader.Load(repo.Root).Definitions.Experiments);

        var json = CanonicalJson.Serialize(loaded);
        var read = (Experiment)CanonicalJsonReader.Read(ObjectKind.Experiment, json);

        Assert.Equal(json, CanonicalJson.Serialize(read));
        Assert.Equal(loaded.Variants, read.Variants);
        Assert.Equal(loaded.FeatureView, read.FeatureView);
    }

    [Fact]
    public void An_experiment_in_csharp_has_the_same_canonical_form_as_in_yaml()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiment(TwoVariants));
        var fromYaml = Assert.Single(RepositoryLoader.Load(repo.Root).Definitions.Experiments);

        var definitions = new RepositoryBuilder()
            .Experiment("ranker_test", "user_stats", x => x.Variant("control", "v1", 0.5).Variant("treatment", "1.0.0", 0.5).Description("new stats"))
            .Build();

        Assert.Equal(CanonicalJson.Serialize(fromYaml), CanonicalJson.Serialize(Assert.Single(definitions.Experiments)));
    }

    [Theory]
    [InlineData(0.5, 0.4, "sum to 0.9")]
    [InlineData(0.5, 1.5, "Invalid share of variant 'b'")]
    public void The_csharp_builder_rejects_a_bad_experiment_at_the_callers_line(double first, double second, string message)
    {
        var e = Assert.Throws<GranaryException>(() => new RepositoryBuilder().Experiment("x", "user_stats", x => x.Variant("a", "v1", first).Variant("b", "v2", second)));

        Assert.Equal(ErrorCodes.InvalidDefinition, e.Code);
        Assert.Contains("ExperimentDefinitionTests.cs:", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
