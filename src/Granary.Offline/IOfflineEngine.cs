using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Core.Sources;

namespace Granary.Offline;

/// <summary>
/// An offline engine: reads batch sources where they live and computes point-in-time-correct training data inside
/// the engine. Every engine passes the same correctness suite (<c>tests/Granary.Tests/Offline/Retrieval/</c>).
/// </summary>
public interface IOfflineEngine : ISourceSchemaInspector, IAsyncDisposable
{
    /// <summary>The engine's name in <c>granary.yaml</c>: <c>duckdb</c> or <c>postgres</c>.</summary>
    string Name { get; }

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

    /// <summary>
    /// Streams the latest row per entity key of one view in a time interval, for materialization (see
    /// <see cref="LatestValuesRequest"/> for the columns). Dispose the result to release the engine's connection.
    /// </summary>
    Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends pushed rows (column-major, named as the definitions name them) to a batch source, so training data sees
    /// them too. Columns the source does not have are ignored; source columns not given are null.
    /// </summary>
    Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default);

    /// <summary>How many rows <see cref="ReadLatestAsync"/> would return (the entities with a row in the interval), for progress.</summary>
    Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default);
}
