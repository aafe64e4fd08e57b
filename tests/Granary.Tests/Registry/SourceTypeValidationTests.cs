using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>Plan checks each declared dtype against the type its column really has, and says which dtype to use.</summary>
public sealed class SourceTypeValidationTests
{
    private static async Task<DefinitionException> PlanFailsAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    private static async Task PlanSucceedsAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        await store.PlanAsync();
    }

    private static Diagnostic Single(DefinitionException e, string messagePart)
    {
        var matches = e.Diagnostics.Where(d => d.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing '{messagePart}', got:\n{string.Join("\n", e.Diagnostics)}");
        return matches[0];
    }

    private static Task WriteParquetAsync(TempRepository repo, string relativePath, string select) =>
        ParquetFiles.WriteAsync(repo, relativePath, select);

    // One view over data/typed.parquet; the schema lines start at line 11.
    private static TempRepository ParquetRepository(string schema) => new TempRepository()
        .Write("granary.yaml", "project: typed\n")
        .Write("defs.yaml", $"""
            entities:
              - {"{"}name: user, join_keys: [user_id], value_type: int64{"}"}
            sources:
              - {"{"}name: typed_source, type: file, path: data/typed.parquet, timestamp_field: event_timestamp{"}"}
            feature_views:
              - name: typed
                entities: [user]
                source: typed_source
                schema:
                  - {"{"}name: user_id, dtype: int64{"}"}
            {schema}
            """);

    private const string TypedColumns = """
        SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-11-01 00:00:00+00' AS event_timestamp, 7::INTEGER AS small,
            7::BIGINT AS big, 0.5::DOUBLE AS ratio, 'gold' AS segment, [0.1, 0.2]::FLOAT[] AS embedding,
            TIMESTAMPTZ '2026-10-01 00:00:00+00' AS signed_up, true AS active
        """;

    [Fact]
    public async Task Strings_declared_int64_are_an_error_at_the_field_with_the_real_type_and_the_dtype_to_use()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("{name: category, dtype: string}", "{name: category, dtype: int64}", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Single(e, "Field 'category'");
        Assert.Equal(new SourceLocation("features/shop.yaml", 31, 33), d.Location);
        Assert.Contains("declared int64, but column 'category' of source 'item_source' is VARCHAR (strings)", d.Message, StringComparison.Ordinal);
        Assert.Contains("Use dtype: string", d.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidDefinition, d.Code);
    }

    [Fact]
    public async Task A_float_column_declared_int64_suggests_float64()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: int64}", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Single(e, "Field 'spend_7d'");
        Assert.Equal(22, d.Location!.Value.Line);
        Assert.Contains("is DOUBLE (64-bit floats), which int64 cannot hold. Use dtype: float64", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_columns_widen_but_never_narrow()
    {
        using var widening = ParquetRepository("""
                  - {name: small, dtype: int64}
                  - {name: big, dtype: float64}
                  - {name: ratio, dtype: float64}
                  - {name: segment, dtype: string}
                  - {name: embedding, dtype: list<float64>}
                  - {name: signed_up, dtype: unix_timestamp}
                  - {name: active, dtype: bool}
            """);
        await WriteParquetAsync(widening, "data/typed.parquet", TypedColumns);
        await PlanSucceedsAsync(widening);

        using var narrowing = ParquetRepository("""
                  - {name: small, dtype: int32}
                  - {name: big, dtype: int32}
                  - {name: ratio, dtype: float32}
                  - {name: embedding, dtype: float32}
                  - {name: signed_up, dtype: int64}
                  - {name: active, dtype: int32}
            """);
        await WriteParquetAsync(narrowing, "data/typed.parquet", TypedColumns);
        var e = await PlanFailsAsync(narrowing);

        Assert.DoesNotContain(e.Diagnostics, d => d.Message.Contains("Field 'small'", StringComparison.Ordinal));
        Assert.Contains("is BIGINT (64-bit integers), which int32 cannot hold. Use dtype: int64", Single(e, "Field 'big'").Message, StringComparison.Ordinal);
        Assert.Contains("Use dtype: float64", Single(e, "Field 'ratio'").Message, StringComparison.Ordinal);
        Assert.Contains("is FLOAT[] (lists of 32-bit floats), which float32 cannot hold. Use dtype: list<float32>", Single(e, "Field 'embedding'").Message, StringComparison.Ordinal);
        Assert.Contains("Use dtype: unix_timestamp", Single(e, "Field 'signed_up'").Message, StringComparison.Ordinal);
        Assert.Equal(16, Single(e, "Field 'active'").Location!.Value.Line);
        Assert.Equal(5, e.Diagnostics.Count);
    }

    [Fact]
    public async Task A_whole_number_csv_column_holds_int32_because_its_bigint_type_is_only_a_guess()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("{name: orders_7d, dtype: int64}", "{name: orders_7d, dtype: int32}", StringComparison.Ordinal));

        await PlanSucceedsAsync(repo);
    }

    [Fact]
    public async Task A_join_key_column_the_entity_value_type_cannot_hold_is_an_error_at_the_view_entity()
    {
        using var repo = SampleRepository.Create();
        repo.Write("entities.yaml", SampleRepository.Entities.Replace("value_type: string", "value_type: int64", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Single(e, "Join key 'item_id'");
        Assert.Equal(new SourceLocation("features/shop.yaml", 25, 16), d.Location);
        Assert.Contains("has value_type int64, but column 'sku' of source 'item_source' is VARCHAR (strings)", d.Message, StringComparison.Ordinal);
        Assert.Contains("Use value_type: string on entity 'item'", d.Message, StringComparison.Ordinal);
    }
}
