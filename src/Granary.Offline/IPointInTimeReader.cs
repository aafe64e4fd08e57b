using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;

namespace Granary.Offline;

/// <summary>
/// Point-in-time-correct training data computed inside the engine: for each entity row and view, the latest source row
/// at or before the row's time (within the view's ttl). Every engine with this capability passes the same correctness
/// suite against a naive reference.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IPointInTimeReader
{
    /// <summary>The statement <paramref name="request"/> runs as, for logs and <c>EXPLAIN</c>.</summary>
    string Explain(PointInTimeRequest request);

    /// <summary>
    /// Runs <paramref name="request"/> and streams its rows: the entity table's columns, in input order, then one
    /// column per requested feature. Dispose the result to release the engine's connection.
    /// </summary>
    Task<OfflineRows> ReadAsync(PointInTimeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="request"/> and writes its rows to <paramref name="outputPath"/>, streaming (memory does not
    /// grow with the result). Returns the number of rows written.
    /// </summary>
    Task<long> WriteAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken = default);
}
