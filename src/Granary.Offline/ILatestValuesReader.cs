using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;

namespace Granary.Offline;

/// <summary>The latest row per entity of one view in a time interval, chosen inside the engine: what materialization reads.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface ILatestValuesReader
{
    /// <summary>
    /// Streams the latest row per entity key of one view in a time interval (see <see cref="LatestValuesRequest"/> for
    /// the columns). Dispose the result to release the engine's connection.
    /// </summary>
    Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default);

    /// <summary>How many rows <see cref="ReadLatestAsync"/> would return (the entities with a row in the interval), for progress.</summary>
    Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default);
}
