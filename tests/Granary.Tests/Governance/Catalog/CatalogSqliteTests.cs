using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Governance.Catalog;

/// <summary>The catalog's operations on the sample repository's SQLite registry.</summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId)]
public sealed class CatalogSqliteTests : CatalogContract
{
    protected override Task<TempRepository> CreateRepositoryAsync() => Task.FromResult(SampleRepository.Create());

    protected override IRegistryStore OpenRegistry() => new SqliteRegistryStore(Path.Combine(Repository.Root, "data", "registry.db"));
}
