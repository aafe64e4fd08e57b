using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Offline;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="ISourceIndexAdvisor"/>: a large source without an index on (join keys, event time) gets the statement
/// that creates one; once it exists, or for a small source, there is no advice.
/// </summary>
public abstract class SourceIndexAdvisorContract : OfflineCapabilityContract<ISourceIndexAdvisor>
{
    /// <summary>A source of <paramref name="rows"/> rows with columns <c>user_id</c> and <c>ts</c>.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(string name, long rows);

    /// <summary>Runs an advised statement against the source's store.</summary>
    protected abstract Task ExecuteAsync(string statement);

    [Fact]
    public async Task A_large_unindexed_source_gets_the_index_to_create_and_then_none()
    {
        var source = await CreateSourceAsync("large", 120_000);

        var missing = await Capability.FindMissingIndexAsync(source, ["user_id"], "ts");

        Assert.NotNull(missing);
        Assert.StartsWith("CREATE INDEX", missing.CreateStatement, StringComparison.Ordinal);
        await ExecuteAsync(missing.CreateStatement);
        Assert.Null(await Capability.FindMissingIndexAsync(source, ["user_id"], "ts"));
    }

    [Fact]
    public async Task A_small_source_needs_no_index()
    {
        var source = await CreateSourceAsync("small", 100);

        Assert.Null(await Capability.FindMissingIndexAsync(source, ["user_id"], "ts"));
    }
}
