using System.Data.Common;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Retrieval;

namespace Granary.Historical;

/// <summary>
/// Point-in-time-correct training data, ready to run: nothing is computed until it is read or written, and both
/// stream, so a result larger than memory is fine. Each read runs the query again in the offline engine.
/// </summary>
public sealed class HistoricalFeatures
{
    private readonly IPointInTimeReader _engine;
    private readonly string _engineName;

    internal HistoricalFeatures(string engineName, IPointInTimeReader engine, HistoricalFeaturesRequest request, PointInTimeRequest query, IReadOnlyList<FeatureReference> features, long registryVersion)
    {
        _engineName = engineName;
        _engine = engine;
        Request = request;
        Query = query;
        Features = features;
        RegistryVersion = registryVersion;
    }

    /// <summary>What was asked for.</summary>
    public HistoricalFeaturesRequest Request { get; }

    /// <summary>The resolved engine request.</summary>
    public PointInTimeRequest Query { get; }

    /// <summary>The features retrieved, in output order.</summary>
    public IReadOnlyList<FeatureReference> Features { get; }

    /// <summary>The registry version whose definitions were used.</summary>
    public long RegistryVersion { get; }

    /// <summary>The statement the engine runs.</summary>
    public string Sql => _engine.Explain(Query);

    /// <summary>Streams the rows. Dispose the result to release the engine's connection.</summary>
    public Task<OfflineRows> ReadAsync(CancellationToken cancellationToken = default) => Run(() => _engine.ReadAsync(Query, cancellationToken));

    /// <summary>
    /// The rows as an ML.NET <see cref="Microsoft.ML.IDataView"/> that streams from the engine on each pass
    /// (numbers as Double with null as NaN). Reading the schema runs the query once.
    /// </summary>
    public Microsoft.ML.IDataView ToDataView() =>
        new OfflineRowsDataView(() => ReadAsync().GetAwaiter().GetResult());

    /// <summary>Writes the rows to a <c>.parquet</c> or <c>.csv</c> file (by extension), streaming; returns the row count.</summary>
    public Task<long> WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        var format = FileSource.FormatOf(path)
            ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"Output '{path}' must end in .parquet or .csv.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        return Run(() => _engine.WriteAsync(Query, path, format, cancellationToken));
    }

    // Engine errors (a column missing from the entity table, a type that does not compare) reach users as Granary
    // errors that name the engine, not as driver exceptions.
    private async Task<T> Run<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (DbException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The {_engineName} offline engine could not build the training data from {Query.Entities}: {Reason(e)}", e);
        }
    }

    // The entity table was checked before the statement ran, so what is left is rare; its first line says what went
    // wrong, but not when it quotes the statement (internal names, or the "LINE 1: ..." context that follows).
    private static string Reason(DbException e)
    {
        var message = e.Message;
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        var first = (newline < 0 ? message : message[..newline]).Trim();
        return first.Contains("__granary_", StringComparison.Ordinal)
            ? "the statement failed on a column of a source or of the entity table; check that their types match the definitions (granary plan)."
            : first;
    }
}
