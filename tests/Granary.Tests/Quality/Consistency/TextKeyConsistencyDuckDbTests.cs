using System.Globalization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Consistency;

/// <summary><see cref="TextKeyConsistencyContract"/> on DuckDB: the source is a Parquet file with a text key column.</summary>
public sealed class TextKeyConsistencyDuckDbTests : TextKeyConsistencyContract
{
    protected override async Task<TempRepository> RepositoryAsync(IReadOnlyList<AccountRow> rows)
    {
        var repo = new TempRepository()
            .Write("granary.yaml", "project: bank\nregistry: data/registry.db\nmonitoring: {serving_sample_rate: 1.0}\n")
            .Write("features.yaml", Definitions + "\n" + """
                sources:
                  - {name: accounts, type: file, path: data/accounts.parquet, timestamp_field: ts}
                """);
        await ReplaceSourceAsync(repo, rows);
        return repo;
    }

    protected override Task ReplaceSourceAsync(TempRepository repo, IReadOnlyList<AccountRow> rows)
    {
        var values = string.Join(", ", rows.Select(r => string.Create(
            CultureInfo.InvariantCulture, $"('{r.Key}', TIMESTAMPTZ '{AccountRow.EventTime:yyyy-MM-dd HH:mm:ss}+00', CAST({r.Balance} AS DOUBLE), '{r.Tier}')")));
        return ParquetFiles.WriteAsync(repo, "data/accounts.parquet", $"SELECT * FROM (VALUES {values}) AS t(account_id, ts, balance, tier)");
    }
}
