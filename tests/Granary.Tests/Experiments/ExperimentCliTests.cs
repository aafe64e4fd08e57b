using Granary.Core.Model;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Experiments;

/// <summary><c>granary experiments assign|list|describe</c> over an applied repository.</summary>
public sealed class ExperimentCliTests
{
    private const string Experiments = """
        experiments:
          - name: ranker_test
            feature_view: user_stats
            variants:
              - {name: control, version: v1, share: 0.3}
              - {name: treatment, version: 1.0.0, share: 0.7}
        """;

    [Fact]
    public async Task Assign_prints_the_same_variant_in_two_processes_as_the_documented_assignment()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiments);
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        var experiment = new Experiment
        {
            Name = "ranker_test",
            FeatureView = "user_stats",
            Variants = [new("control", FeatureVersionSelector.NewestOfMajor(1), 0.3), new("treatment", FeatureVersionSelector.Exactly(1, 0, 0), 0.7)],
        };

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in new[] { "user-42", "user-4", "user-6", "user-8" })
        {
            var first = await CliProcess.RunAsync(repo.Root, "experiments", "assign", "ranker_test", "--unit", unit);
            var second = await CliProcess.RunAsync(repo.Root, "experiments", "assign", "ranker_test", "--unit", unit);

            Assert.True(first.Exit == 0, first.Err);
            Assert.Equal(first.Out, second.Out);
            var variant = first.Out.Split('\n')[0].Trim();
            Assert.Equal(ExperimentAssignment.Assign(experiment, unit).Name, variant);
            seen.Add(variant);
        }

        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task Assign_refuses_an_unknown_experiment_naming_the_ones_there_are_and_list_shows_the_variants()
    {
        using var repo = SampleRepository.Create().Write("experiments.yaml", Experiments);
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);

        var unknown = await CliRunner.RunAsync("experiments", "assign", "ranker", "--unit", "u1", "--repo", repo.Root);
        var list = await CliRunner.RunAsync("experiments", "list", "--repo", repo.Root);
        var describe = await CliRunner.RunAsync("experiments", "describe", "ranker_test", "--repo", repo.Root);

        Assert.NotEqual(0, unknown.Exit);
        Assert.Contains("Experiment 'ranker' does not exist; there are ranker_test", unknown.Err, StringComparison.Ordinal);
        Assert.Equal((0, 0), (list.Exit, describe.Exit));
        Assert.Contains("control=v1:0.3, treatment=1.0.0:0.7", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"feature_view\": \"user_stats\"", describe.Out, StringComparison.Ordinal);
    }
}
