using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Granary.Consistency;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Providers;
using Granary.Historical;
using Granary.Monitoring;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Resolution;

namespace Granary;

// Online/offline consistency: what was served, against the offline store re-joined at the served instants.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the rows of <see cref="ConsistencyRequest.View"/> logged as served in the request's period (the serving log,
    /// <c>monitoring.serving_sample_rate</c>), re-joins them with point-in-time retrieval at their served instants and
    /// reports, per feature, how the served values agree with the offline ones (docs/quality.md, "Online/offline
    /// consistency").
    /// </summary>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.InvalidArgument"/> for a period that ends before it starts or a stream feature view;
    /// <see cref="ErrorCodes.NotFound"/> for an unknown view or no logged rows in the period.
    /// </exception>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public async Task<ConsistencyReport> ConsistencyAsync(ConsistencyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await MeasureConsistencyAsync(request, cancellationToken)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"No served rows of '{request.View}' are logged from {Instant(request.Start)} to {Instant(request.End)}: the serving log keeps only rows sampled while monitoring.serving_sample_rate in granary.yaml is above 0.");
    }

    /// <summary>As <see cref="ConsistencyAsync"/>, but null when no served rows are logged in the period.</summary>
    internal async Task<ConsistencyReport?> MeasureConsistencyAsync(ConsistencyRequest request, CancellationToken cancellationToken)
    {
        CheckPeriod(request.Start, request.End, "served");
        var registry = await GetRegistryAsync(cancellationToken);
        var plan = RegistryResolution.Of(registry).View(request.View);
        if (plan.View.Stream is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"'{request.View}' is a stream feature view: its features are aggregated when read, so there is no stored offline value to compare serving with.");
        }

        var log = Offline.Require<IServingLog>("read the serving log");
        var table = ServingLogTables.For(Project, Config.RepositoryRoot, plan);
        var features = table.Features.Select(f => f.Name).ToList();
        var tally = new ConsistencyTally(features);
        var chunkRows = Math.Max(1, request.ChunkRows);
        var chunk = new List<LoggedServedRow>(Math.Min(chunkRows, 1024));
        var logged = 0L;

        // The period is re-joined a chunk at a time, so memory holds one chunk of logged rows however long the period
        // is; the log reads in served order, so examples still come in the order rows were served.
        await using (var read = await log.ReadAsync(table, request.Start, request.End, cancellationToken))
        {
            var full = true;
            while (full)
            {
                chunk.Clear();
                while (chunk.Count < chunkRows && await read.Reader.ReadAsync(cancellationToken))
                {
                    chunk.Add(ReadServed(read.Reader, table));
                }

                full = chunk.Count == chunkRows;
                if (chunk.Count > 0)
                {
                    await RejoinAsync(plan.Name, table, features, chunk, tally, cancellationToken);
                    logged += chunk.Count;
                }
            }
        }

        return logged == 0 ? null : tally.Build(plan.Name, request.Start, request.End);
    }

    // One chunk: its logged keys, each at its served instant, through point-in-time retrieval, then into the tally.
    private async Task RejoinAsync(
        string viewName, ServingLogTable table, List<string> features, List<LoggedServedRow> served, ConsistencyTally tally, CancellationToken cancellationToken)
    {
        var entities = Path.Combine(Path.GetTempPath(), $"granary-consistency-{Guid.NewGuid():N}.parquet");
        try
        {
            await ServedEntityFile.WriteAsync(entities, table, served, cancellationToken);
            var historical = await GetHistoricalFeaturesAsync(
                new HistoricalFeaturesRequest
                {
                    Entities = EntityTable.FromFile(entities, FileFormat.Parquet),
                    Features = features.ConvertAll(f => $"{viewName}:{f}"),
                    FullFeatureNames = true,
                },
                cancellationToken);
            await using var rows = await historical.ReadAsync(cancellationToken);
            var ordinals = features.ConvertAll(f => rows.Reader.GetOrdinal($"{viewName}__{f}"));
            var found = new bool[ordinals.Count];
            var index = 0;
            while (await rows.Reader.ReadAsync(cancellationToken))
            {
                if (index >= served.Count)
                {
                    throw new GranaryException(ErrorCodes.Internal, "Point-in-time retrieval returned more rows than it was given.");
                }

                var row = served[index++];
                var offline = new object?[ordinals.Count];
                for (var i = 0; i < offline.Length; i++)
                {
                    // A feature the request did not ask for was not served at all (its found flag is null): neither
                    // side then counts, rather than counting as missing.
                    offline[i] = row.Found[i] is null || rows.Reader.IsDBNull(ordinals[i]) ? null : rows.Reader.GetValue(ordinals[i]);
                    found[i] = row.Found[i] is true;
                }

                tally.Add(row.Entity, row.ServedAt, row.Values, found, offline);
            }

            if (index != served.Count)
            {
                throw new GranaryException(ErrorCodes.Internal, $"Point-in-time retrieval returned {index} rows for {served.Count} logged rows.");
            }
        }
        finally
        {
            File.Delete(entities);
        }
    }

    private static LoggedServedRow ReadServed(DbDataReader reader, ServingLogTable table)
    {
        var (keys, features) = (table.JoinKeys.Count, table.Features.Count);
        var entity = new Dictionary<string, object?>(keys, StringComparer.Ordinal);
        for (var k = 0; k < keys; k++)
        {
            entity[table.JoinKeys[k].Name] = Value(reader, k);
        }

        var values = new object?[features];
        var found = new bool?[features];
        for (var f = 0; f < features; f++)
        {
            values[f] = Value(reader, keys + 1 + f);
            found[f] = Value(reader, keys + 1 + features + f) is { } flag ? Convert.ToBoolean(flag, CultureInfo.InvariantCulture) : null;
        }

        return new LoggedServedRow(entity, ServedAt(reader.GetValue(keys)), values, found);
    }

    private static object? Value(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);

    private static DateTimeOffset ServedAt(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new GranaryException(ErrorCodes.Internal, $"The serving log's served_at column holds {value.GetType().Name}, not a timestamp."),
    };
}
