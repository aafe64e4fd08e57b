using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary>A schema field's <c>drift:</c> thresholds: read, checked with file and line, stored and read back.</summary>
public sealed class DriftThresholdsYamlTests
{
    private const string WithDrift = """
        feature_views:
          - name: item_drift
            entities: [item]
            source: item_source
            schema:
              - name: price
                dtype: float64
                drift:
                  p_value: [0.1, 0.05, 0.01]
                  shift: [0.05, 0.1, 0.3]
              - name: category
                dtype: string
                drift: {shift: [0.2, 0.4, 0.8]}
        """;

    private static int LineOf(string yaml, string marker) => Array.FindIndex(yaml.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal)) + 1;

    [Fact]
    public async Task Drift_thresholds_are_stored_with_the_field_and_a_left_out_key_keeps_its_defaults()
    {
        using var repo = SampleRepository.Create();
        repo.Write("drift.yaml", WithDrift);
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var reader = FeatureStore.Open(repo.Root);
        var definitions = (await reader.GetRegistryAsync()).Definitions;
        var view = definitions.FindFeatureView("item_drift")!;
        Assert.Equal(new DriftThresholds(new DriftLevels(0.1, 0.05, 0.01), new DriftLevels(0.05, 0.1, 0.3)), view.Schema[0].Drift);
        Assert.Equal(new DriftThresholds(DriftThresholds.Default.PValues, new DriftLevels(0.2, 0.4, 0.8)), view.Schema[1].Drift);
        Assert.Null(definitions.FindFeatureView("item_info")!.Schema[0].Drift);
        Assert.False((await reader.PlanAsync()).HasChanges);
    }

    [Theory]
    [InlineData("p_value: [0.1, 0.05, 0.01]", "p_value: [0.1, 0.05]", "'p_value' of 'drift' of field 'price' of feature view 'item_drift' needs three thresholds, for low, medium and high (such as [0.05, 0.01, 0.001]); found 2.")]
    [InlineData("p_value: [0.1, 0.05, 0.01]", "p_value: [0.01, 0.05, 0.1]", "The thresholds of 'p_value' of 'drift' of field 'price' of feature view 'item_drift' must decrease from low to medium to high")]
    [InlineData("shift: [0.05, 0.1, 0.3]", "shift: [0.5, 0.1, 0.3]", "The thresholds of 'shift' of 'drift' of field 'price' of feature view 'item_drift' must increase")]
    [InlineData("p_value: [0.1, 0.05, 0.01]", "p_value: [0.1, 0.05, 2]", "Threshold 3 of 'p_value' of 'drift' of field 'price' of feature view 'item_drift' must be a p-value between 0 and 1; found 2.")]
    [InlineData("shift: [0.05, 0.1, 0.3]", "shift: [0.05, big, 0.3]", "Threshold 2 of 'shift' of 'drift' of field 'price' of feature view 'item_drift' must be a number")]
    [InlineData("drift: {shift: [0.2, 0.4, 0.8]}", "drift: {shifts: [0.2, 0.4, 0.8]}", "Unknown key 'shifts' in 'drift' of field 'category' of feature view 'item_drift'")]
    public async Task A_wrong_drift_threshold_is_reported_at_its_line(string good, string bad, string message)
    {
        using var repo = SampleRepository.Create();
        var yaml = WithDrift.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(WithDrift, yaml);
        repo.Write("drift.yaml", yaml);

        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var d = Assert.Single(e.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("drift.yaml", d.Location!.Value.File);
        Assert.Equal(LineOf(yaml, bad), d.Location.Value.Line);
    }
}
