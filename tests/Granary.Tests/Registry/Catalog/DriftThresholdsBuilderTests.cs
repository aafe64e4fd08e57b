using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Loading;
using Granary.Registry.Serialization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary><c>FieldBuilder.Drift</c>: the thresholds YAML's <c>drift:</c> sets, with the same defaults and the same checks.</summary>
public sealed class DriftThresholdsBuilderTests
{
    private const string Yaml = """
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

    [Fact]
    public async Task The_csharp_builder_gives_the_same_view_as_yaml_drift()
    {
        using var repo = SampleRepository.Create().Write("drift.yaml", Yaml);
        Granary.Registry.Configuration.RepositoryConfig config;
        await using (var store = FeatureStore.Open(repo.Root))
        {
            config = store.Config;
        }

        var yaml = RepositoryLoader.Load(config).Definitions.FindFeatureView("item_drift")!;
        var built = new RepositoryBuilder()
            .FeatureView("item_drift", v => v.Entities("item").Source("item_source")
                .Field("price", FeatureType.Float64, f => f.Drift(new DriftLevels(0.1, 0.05, 0.01), new DriftLevels(0.05, 0.1, 0.3)))
                .Field("category", FeatureType.String, f => f.Drift(shifts: new DriftLevels(0.2, 0.4, 0.8))))
            .Build().FindFeatureView("item_drift")!;

        Assert.Equal(CanonicalJson.Serialize(yaml), CanonicalJson.Serialize(built));
        Assert.Equal(DriftThresholds.Default.PValues, built.Schema[1].Drift!.PValues);
    }

    [Theory]
    [InlineData(0.01, 0.05, 0.1, 0.1, 0.2, 0.5, "p-value thresholds must decrease")]
    [InlineData(1.5, 0.05, 0.01, 0.1, 0.2, 0.5, "p-value thresholds must decrease")]
    [InlineData(0.05, 0.01, 0.001, 0.5, 0.2, 0.1, "shift thresholds must increase")]
    [InlineData(0.05, 0.01, 0.001, 0, 0.2, 0.5, "shift thresholds must increase")]
    public void Thresholds_out_of_order_or_range_are_refused(double p1, double p2, double p3, double s1, double s2, double s3, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new FieldBuilder().Drift(new DriftLevels(p1, p2, p3), new DriftLevels(s1, s2, s3)));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
