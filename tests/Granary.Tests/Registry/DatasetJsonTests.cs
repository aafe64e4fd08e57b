using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// The stored form of a saved dataset (the <c>spec</c> column), pinned byte for byte: other tools and later Granary
/// versions read it, so a change to it must be deliberate.
/// </summary>
public sealed class DatasetJsonTests
{
    private static readonly SavedDataset Sample = new(
        "shop",
        "train",
        ["driver_stats:trips", "customer:age"],
        null,
        "/data/entities.parquet",
        "file",
        true,
        false,
        new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560),
        null,
        12,
        "/out/train.parquet",
        3,
        new DateTimeOffset(2025, 3, 2, 9, 30, 0, TimeSpan.Zero),
        "tester@ci");

    [Fact]
    public void Spec_is_snake_case_json_with_iso_8601_utc_timestamps()
    {
        Assert.Equal(
            """{"project":"shop","name":"train","features":["driver_stats:trips","customer:age"],"feature_service":null,"entities":"/data/entities.parquet","entities_kind":"file","full_feature_names":true,"filter_by_created_timestamp":false,"start_time":"2025-03-01T12:00:00.123456Z","end_time":null,"row_count":12,"output":"/out/train.parquet","registry_version":3,"created_at":"2025-03-02T09:30:00.000000Z","created_by":"tester@ci"}""",
            DatasetJson.Serialize(Sample));
    }

    [Fact]
    public void Timestamps_at_other_offsets_are_written_as_utc()
    {
        var json = DatasetJson.Serialize(Sample with { CreatedAt = new DateTimeOffset(2025, 3, 2, 11, 30, 0, TimeSpan.FromHours(2)) });

        Assert.Contains("\"created_at\":\"2025-03-02T09:30:00.000000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_reads_back_to_the_same_dataset()
    {
        var read = DatasetJson.Deserialize(DatasetJson.Serialize(Sample), "shop", "train");

        Assert.Equal(Sample.Features, read.Features);
        Assert.Equal(Sample, read with { Features = Sample.Features });
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"project":"shop","name":"train"}""")]
    [InlineData("""{"project":"shop","name":"train","features":null,"feature_service":null,"entities":"e","entities_kind":"file","full_feature_names":true,"filter_by_created_timestamp":false,"start_time":null,"end_time":null,"row_count":0,"output":"o","registry_version":0,"created_at":"2025-03-02T09:30:00.000000Z","created_by":"me"}""")]
    public void Unreadable_spec_is_reported_as_registry_unavailable_naming_the_dataset(string json)
    {
        var error = Assert.Throws<GranaryException>(() => DatasetJson.Deserialize(json, "shop", "train"));

        Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
        Assert.Contains("'train'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'shop'", error.Message, StringComparison.Ordinal);
    }
}
