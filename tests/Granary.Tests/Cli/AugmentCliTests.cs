using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>
/// <c>granary augment</c>: a recipe's features joined point in time onto a spine, the very rows get-historical gives
/// with full feature names for the same features.
/// </summary>
public sealed class AugmentCliTests
{
    private const string Recipe = """
        augmenter:
          type: feature_store
          features:
            - feature_namespace: user_stats
              features: [orders_7d, spend_7d]
            - feature_namespace: item_info
              features: [price]
        """;

    private const string Spine = "user_id,item_id,event_timestamp,label\n1,A1,2026-11-02T00:00:00Z,1\n2,A1,2026-11-02T00:00:00Z,0\n3,B2,2026-11-02T00:00:00Z,1\n1,A1,2026-10-01T00:00:00Z,0\n";

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task Augment_output_equals_get_historical_with_full_feature_names(string format)
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Recipe).Write("spine.csv", Spine);
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        var augmented = Path.Combine(repo.Root, $"augmented.{format}");
        var historical = Path.Combine(repo.Root, $"historical.{format}");
        var spine = Path.Combine(repo.Root, "spine.csv");

        var augment = await RunAsync("augment", "--repo", repo.Root, "--recipe", "experiment", "--entities", spine, "--output", augmented);
        var reference = await RunAsync("get-historical", "--repo", repo.Root, "--entities", spine,
            "--features", "user_stats:orders_7d,user_stats:spend_7d,item_info:price", "--full-feature-names", "--output", historical);

        Assert.True(augment.Exit == 0, augment.Err);
        Assert.True(reference.Exit == 0, reference.Err);
        Assert.Contains("Wrote 4 rows x 3 features", augment.Out, StringComparison.Ordinal);
        Assert.Contains("recipe 'experiment'", augment.Err, StringComparison.Ordinal);
        var rows = await ReadAsync(augmented);
        Assert.Equal(await ReadAsync(historical), rows);
        Assert.Equal(["user_id", "item_id", "event_timestamp", "label", "user_stats__orders_7d", "user_stats__spend_7d", "item_info__price"], rows[0]);
    }

    [Fact]
    public async Task A_recipe_given_by_path_and_a_spine_by_sql_augment_the_same_way()
    {
        using var repo = SampleRepository.Create().Write("elsewhere/exp.yaml", Recipe);
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        var output = Path.Combine(repo.Root, "out.csv");

        var run = await RunAsync("augment", "--repo", repo.Root, "--recipe", Path.Combine(repo.Root, "elsewhere", "exp.yaml"),
            "--entities-sql", "SELECT 1::BIGINT AS user_id, 'A1' AS item_id, TIMESTAMPTZ '2026-11-02 00:00:00+00' AS event_timestamp", "--output", output);

        Assert.True(run.Exit == 0, run.Err);
        var lines = File.ReadAllLines(output);
        Assert.Equal("user_id,item_id,event_timestamp,user_stats__orders_7d,user_stats__spend_7d,item_info__price", lines[0]);
        Assert.EndsWith(",3,120.5,9.99", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recipe_naming_what_the_registry_lacks_fails_naming_it_and_writes_nothing()
    {
        using var repo = SampleRepository.Create().Write("spine.csv", Spine)
            .Write("recipes/experiment.yaml", "augmenter:\n  type: feature_store\n  features:\n    - {feature_namespace: user_stats, features: [orders_7d]}\n");
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        repo.Write("recipes/experiment.yaml", "augmenter:\n  type: feature_store\n  features:\n    - {feature_namespace: user_statz, features: [orders_7d]}\n");
        var output = Path.Combine(repo.Root, "never.csv");

        var run = await RunAsync("augment", "--repo", repo.Root, "--recipe", "experiment", "--entities", Path.Combine(repo.Root, "spine.csv"), "--output", output);
        var missing = await RunAsync("augment", "--repo", repo.Root, "--recipe", "nope", "--entities", Path.Combine(repo.Root, "spine.csv"), "--output", output);

        Assert.Equal(1, run.Exit);
        Assert.Contains("namespace 'user_statz'", run.Err, StringComparison.Ordinal);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("No recipe 'nope'", missing.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_saved_augmented_dataset_describes_the_get_historical_command_that_rebuilds_it()
    {
        using var repo = SampleRepository.Create().Write("recipes/experiment.yaml", Recipe).Write("spine.csv", Spine);
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);

        var run = await RunAsync("augment", "--repo", repo.Root, "--recipe", "experiment", "--entities", Path.Combine(repo.Root, "spine.csv"),
            "--output", Path.Combine(repo.Root, "t.parquet"), "--save-as", "experiment_v1");
        var describe = await RunAsync("saved-datasets", "describe", "experiment_v1", "--repo", repo.Root);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("Saved as dataset 'experiment_v1'", run.Out, StringComparison.Ordinal);
        Assert.Contains("--features user_stats:orders_7d,user_stats:spend_7d,item_info:price", describe.Out, StringComparison.Ordinal);
        Assert.Contains("--full-feature-names", describe.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_fails_at_the_line_of_a_recipe_feature_no_view_has()
    {
        using var repo = SampleRepository.Create()
            .Write("recipes/experiment.yaml", "augmenter:\n  type: feature_store\n  features:\n    - feature_namespace: item_info\n      features: [price, colour]\n");

        var plan = await RunAsync("plan", "--repo", repo.Root);

        Assert.Equal(1, plan.Exit);
        Assert.Contains("recipes/experiment.yaml:5:", plan.Err, StringComparison.Ordinal);
        Assert.Contains("feature 'colour', which feature view 'item_info' does not have", plan.Err, StringComparison.Ordinal);
    }

    // Every cell of the file as text, row by row, header first: through DuckDB for Parquet, as written for CSV.
    private static async Task<List<string[]>> ReadAsync(string path)
    {
        if (path.EndsWith(".csv", StringComparison.Ordinal))
        {
            return [.. File.ReadAllLines(path).Select(l => l.Split(','))];
        }

        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')";
        using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]> { Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray() };
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }
}
