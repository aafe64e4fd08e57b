using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.Files;

/// <summary>
/// Facts about a Parquet or CSV file that Granary wrote or was given (a saved dataset, a generated demo file), read
/// without any offline engine: the facade and the CLI use this rather than a particular engine. See
/// <see cref="DataFiles"/> for why DuckDB does the reading whichever engine is configured.
/// </summary>
internal interface IDataFiles
{
    /// <summary>The earliest and latest <c>event_timestamp</c> in the file, UTC; nulls when it has no rows.</summary>
    Task<(DateTimeOffset? Start, DateTimeOffset? End)> TimeRangeAsync(string path, FileFormat format, CancellationToken cancellationToken = default);

    /// <summary><paramref name="rows"/> rows of a Parquet or CSV file from row <paramref name="offset"/> on, for previews.</summary>
    Task<OfflineRows> PreviewAsync(string path, FileFormat format, int rows, long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drift samples of columns of a Parquet or CSV file, all its rows, drawn as <see cref="IDriftSampleReader"/> draws
    /// them from a view's source rows; a sample per column, named by <paramref name="names"/>.
    /// </summary>
    Task<DriftSampleValues[]> ReadDriftSamplesAsync(
        string path, FileFormat format, IReadOnlyList<string> names, IReadOnlyList<string> columns, IReadOnlyList<ProfileKind> kinds, int sampleSize, int seed, CancellationToken cancellationToken = default);
}
