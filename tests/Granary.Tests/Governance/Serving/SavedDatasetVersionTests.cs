using Granary.Registry.Storage;

namespace Granary.Tests.Governance.Serving;

/// <summary>Saved datasets record the version each feature was built from; records saved before that still read.</summary>
public sealed class SavedDatasetVersionTests
{
    private static readonly SavedDataset Sample = new(
        "shop", "train", ["ad_stats@v1:ctr", "ad_stats:impressions"], null, "entities.parquet", "file", true, false,
        null, null, 0, "/tmp/out.parquet", 7, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), "me@host");

    [Fact]
    public void The_feature_versions_survive_a_round_trip()
    {
        var dataset = Sample with { FeatureVersions = new Dictionary<string, string> { ["ad_stats@v1:ctr"] = "1.1.0", ["ad_stats:impressions"] = "2.0.0" } };

        var json = DatasetJson.Serialize(dataset);
        var read = DatasetJson.Deserialize(json, "shop", "train");

        Assert.Contains("\"feature_versions\"", json, StringComparison.Ordinal);
        Assert.Equal("1.1.0", read.FeatureVersions["ad_stats@v1:ctr"]);
        Assert.Equal("2.0.0", read.FeatureVersions["ad_stats:impressions"]);
        Assert.Equal(2, read.FeatureVersions.Count);
    }

    [Fact]
    public void A_record_saved_before_versions_reads_with_none()
    {
        var old = DatasetJson.Serialize(Sample);

        var read = DatasetJson.Deserialize(old, "shop", "train");

        Assert.DoesNotContain("feature_versions", old, StringComparison.Ordinal);
        Assert.Empty(read.FeatureVersions);
        Assert.Equal(Sample, read with { Features = Sample.Features });
    }
}
