using System.Data.Common;
using Granary.Core.Sources;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Files;

/// <summary>
/// The file handling an engine that cannot reach the machine's files borrows (the PostgreSQL engine: its server reads
/// only its own tables): a Parquet or CSV entity table described, checked and streamed in, and a result written out as
/// Parquet. Columns travel as <see cref="FileColumn"/>s, so neither side names the other's types.
/// </summary>
internal interface IEngineFiles
{
    /// <summary>The columns of an entity-table file; reads only its metadata. Synchronous because <c>Explain</c> needs them.</summary>
    IReadOnlyList<FileColumn> DescribeEntityFile(EntityTable entities);

    /// <summary>
    /// Checks a file entity table against <paramref name="request"/> as every engine checks its entity table
    /// (<see cref="EntityTableCheck"/>), including the first value of a text column that does not convert.
    /// </summary>
    Task CheckEntityFileAsync(PointInTimeRequest request, ISourceSchemaInspector sources, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the file's rows, column <c>i</c> being <paramref name="columns"/>[i] in the .NET shape of its kind (a
    /// timestamp as its UTC wall clock, to the microsecond). Dispose the result to close the file.
    /// </summary>
    Task<OfflineRows> ReadEntityFileAsync(EntityTable entities, IReadOnlyList<FileColumn> columns, CancellationToken cancellationToken);

    /// <summary>Writes every row of <paramref name="rows"/> to a Parquet file, each column as its kind; returns the row count.</summary>
    Task<long> WriteParquetAsync(DbDataReader rows, IReadOnlyList<FileColumn> columns, string path, CancellationToken cancellationToken);
}
