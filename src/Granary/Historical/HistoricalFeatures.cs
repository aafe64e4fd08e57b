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

    /// <summary>
    /// The version of its view each feature was read at, by reference as requested (<c>view:feature</c> → <c>1.2.0</c>):
    /// the pinned version of a <c>view@v2:feature</c> reference, the current one otherwise. A view without recorded
    /// versions has no entry.
    /// </summary>
    public IReadOnlyDictionary<string, string> FeatureVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>The statement the engine runs.</summary>
    public string Sql => _engine.Explain(Query);

    /// <summary>Streams the rows. Dispose the result to release the engine's connection.</summary>
    public Task<OfflineRows> ReadAsync(CancellationToken cancellationToken = default) => Run(() => OpenAsync(cancellationToken));

    /// <summary>Set when on-demand features were asked for: they are computed in a pass over the engine's rows.</summary>
    internal HistoricalOnDemandLayout? OnDemand { get; init; }

    private async Task<OfflineRows> OpenAsync(CancellationToken cancellationToken)
    {
        var rows = await _engine.ReadAsync(Query, cancellationToken);
        if (OnDemand is null)
        {
            return rows;
        }

        try
        {
            var engineFeatures = 0;
            foreach (var view in Query.Views)
            {
                engineFeatures += view.Features.Count;
            }

            return new OfflineRows(new OnDemandRowsReader(rows.Reader, OnDemand, engineFeatures), rows);
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
    }

    // The engine cannot compute on-demand features in its statement yet, so their rows pass through this process.
    private async Task<long> WriteComputedAsync(string path, FileFormat format, CancellationToken cancellationToken)
    {
        await using var rows = await OpenAsync(cancellationToken);
        var reader = (OnDemandRowsReader)rows.Reader;
        return format == FileFormat.Csv
            ? await Offline.Files.CsvRowWriter.WriteAsync(reader, path, cancellationToken)
            : await Offline.Files.DataFiles.ForEngines.WriteParquetAsync(reader, reader.FileColumns(), path, cancellationToken);
    }

    /// <summary>
    /// The rows as an ML.NET <see cref="Microsoft.ML.IDataView"/> that streams from the engine on each pass (numbers as
    /// Double with null as NaN). The query runs here, without blocking; its rows give the schema and feed the first
    /// pass. ML.NET reads synchronously, so each later pass runs the query again and waits for it on its thread. The view
    /// is <see cref="IDisposable"/>: dispose it to release the opened rows if it is never read.
    /// </summary>
    public async Task<Microsoft.ML.IDataView> ToDataViewAsync(CancellationToken cancellationToken = default) =>
        new OfflineRowsDataView(await ReadAsync(cancellationToken), OpenBlocking);

    /// <summary>
    /// As <see cref="ToDataViewAsync"/>, for callers that cannot await: it waits for the query on the calling thread.
    /// Prefer <see cref="ToDataViewAsync"/>.
    /// </summary>
    public Microsoft.ML.IDataView ToDataView() => new OfflineRowsDataView(OpenBlocking(), OpenBlocking);

    // The one place the synchronous IDataView contract forces a wait: the query runs on the thread pool, so the wait
    // cannot deadlock on a caller's synchronization context (a UI thread, a legacy ASP.NET request).
    private OfflineRows OpenBlocking() => Task.Run(() => ReadAsync()).GetAwaiter().GetResult();

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

        return OnDemand is null
            ? Run(() => _engine.WriteAsync(Query, path, format, cancellationToken))
            : Run(() => WriteComputedAsync(path, format, cancellationToken));
    }

    // Engine errors reach users as Granary errors that name the engine, not as driver exceptions, classified by the
    // driver's own signals (EngineFailures): an engine or source that cannot serve now (a connection cut while rows
    // stream, a server shutting down, a file that cannot be read) is unavailable; what is left (a column missing from
    // the entity table, a type that does not compare) is the request's.
    private async Task<T> Run<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is DbException or IOException or System.Net.Sockets.SocketException)
        {
            throw Translate(e);
        }
    }

    private GranaryException Translate(Exception e) => EngineFailures.Classify(e) switch
    {
        EngineFailureKind.Unavailable => new GranaryException(
            ErrorCodes.SourceUnavailable,
            $"The {_engineName} offline engine is unavailable while building the training data from {Query.Entities}: {Reason(e)} Retry when it is back.",
            e),
        EngineFailureKind.Timeout => new GranaryException(
            ErrorCodes.SourceTimeout,
            $"The {_engineName} offline engine ran out of time building the training data from {Query.Entities}: {Reason(e)}",
            e),
        _ => new GranaryException(ErrorCodes.InvalidArgument, $"The {_engineName} offline engine could not build the training data from {Query.Entities}: {Reason(e)}", e),
    };

    // The entity table was checked before the statement ran, so what is left is rare; its first line says what went
    // wrong, but not when it quotes the statement (internal names, or the "LINE 1: ..." context that follows).
    private static string Reason(Exception e)
    {
        var message = e.Message;
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        var first = (newline < 0 ? message : message[..newline]).Trim();
        return first.Contains("__granary_", StringComparison.Ordinal)
            ? "the statement failed on a column of a source or of the entity table; check that their types match the definitions (granary plan)."
            : first;
    }
}
