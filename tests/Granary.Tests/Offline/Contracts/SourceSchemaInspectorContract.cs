using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Offline;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="ISourceSchemaInspector"/>: a source's columns as stored, null for a kind of source the engine leaves to
/// others, and <see cref="ErrorCodes.SourceUnavailable"/> naming the source when it should be readable but is not.
/// </summary>
public abstract class SourceSchemaInspectorContract : OfflineCapabilityContract<ISourceSchemaInspector>
{
    /// <summary>A source of this engine's kind holding <paramref name="view"/>'s rows.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(PitView view);

    /// <summary>A source of this engine's kind that does not exist.</summary>
    protected abstract BatchSource MissingSource();

    /// <summary>A source of a kind this engine cannot reach.</summary>
    protected abstract BatchSource ForeignSource();

    [Fact]
    public async Task Reports_the_columns_of_a_source_in_order()
    {
        var source = await CreateSourceAsync(new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: true, FileFormat.Parquet, []));

        var schema = await Capability.InspectAsync(source, Root);

        Assert.Equal(["key", "k2", "ts", "created", "val"], schema!.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Leaves_other_kinds_of_source_to_other_inspectors()
    {
        Assert.Null(await Capability.InspectAsync(ForeignSource(), Root));
    }

    [Fact]
    public async Task A_missing_source_is_source_unavailable_naming_it()
    {
        var missing = MissingSource();

        var error = await Assert.ThrowsAsync<GranaryException>(() => Capability.InspectAsync(missing, Root));

        Assert.Equal(ErrorCodes.SourceUnavailable, error.Code);
        Assert.Contains($"'{missing.Name}'", error.Message, StringComparison.Ordinal);
    }
}
