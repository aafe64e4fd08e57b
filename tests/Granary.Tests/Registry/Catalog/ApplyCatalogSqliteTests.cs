using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary>The apply-catalog suite on the embedded (SQLite) registry.</summary>
public sealed class ApplyCatalogSqliteTests : ApplyCatalogContract
{
    protected override Task<TempRepository> CreateRepositoryAsync() => Task.FromResult(SampleRepository.Create());

    protected override IRegistryStore OpenRegistry(TempRepository repo) => new SqliteRegistryStore(Path.Combine(repo.Root, "data", "registry.db"));
}
