using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Granary.Consistency;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
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
        var served = await ReadServedAsync(log, table, request, cancellationToken);
        if (served.Count == 0)
        {
            return null;
        }

        var features = table.Features.Select(f => f.Name).ToList();
        var tally = new ConsistencyTally(features);
        var entities = Path.Combine(Path.GetTempPath(), $"granary-consistency-{Guid.NewGuid():N}.csv");
        try
        {
            await WriteEntitiesAsync(entities, table, served, cancellationToken);
            var historical = await GetHistoricalFeaturesAsync(
                new HistoricalFeaturesRequest
                {
                    Entities = EntityTable.FromFile(entities),
                    Features = features.ConvertAll(f => $"{plan.Name}:{f}"),
                    FullFeatureNames = true,
                },
                cancellationToken);
            await using var rows = await historical.ReadAsync(cancellationToken);
            var ordinals = features.ConvertAll(f => rows.Reader.GetOrdinal($"{plan.Name}__{f}"));
            var index = 0;
            while (await rows.Reader.ReadAsync(cancellationToken))
            {
                if (index >= served.Count)
                {
                    throw new GranaryException(ErrorCodes.Internal, "Point-in-time retrieval returned more rows than it was given.");
                }

                var offline = new object?[ordinals.Count];
                for (var i = 0; i < offline.Length; i++)
                {
                    offline[i] = rows.Reader.IsDBNull(ordinals[i]) ? null : rows.Reader.GetValue(ordinals[i]);
                }

                var row = served[index++];
                for (var i = 0; i < offline.Length; i++)
                {
                    // A feature the request did not ask for was not served at all (its found flag is null): neither
                    // side then counts, rather than counting as missing.
                    if (row.Found[i] is null)
                    {
                        offline[i] = null;
                    }
                }

                tally.Add(row.Entity, row.ServedAt, row.Values, Array.ConvertAll(row.Found, f => f is true), offline);
            }
        }
        finally
        {
            File.Delete(entities);
        }

        return tally.Build(plan.Name, request.Start, request.End);
    }

    private sealed record LoggedRow(Dictionary<string, object?> Entity, DateTimeOffset ServedAt, object?[] Values, bool?[] Found);

    private static async Task<List<LoggedRow>> ReadServedAsync(IServingLog log, ServingLogTable table, ConsistencyRequest request, CancellationToken cancellationToken)
    {
        var (keys, features) = (table.JoinKeys.Count, table.Features.Count);
        var rows = new List<LoggedRow>();
        await using var read = await log.ReadAsync(table, request.Start, request.End, cancellationToken);
        var reader = read.Reader;
        while (await reader.ReadAsync(cancellationToken))
        {
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

            rows.Add(new LoggedRow(entity, ServedAt(reader.GetValue(keys)), values, found));
        }

        return rows;
    }

    private static object? Value(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);

    private static DateTimeOffset ServedAt(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new GranaryException(ErrorCodes.Internal, $"The serving log's served_at column holds {value.GetType().Name}, not a timestamp."),
    };

    // The entity rows of the re-join: the logged join keys, with each row's served instant as its event_timestamp.
    private static async Task WriteEntitiesAsync(string path, ServingLogTable table, List<LoggedRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var line = new StringBuilder();
        foreach (var key in table.JoinKeys)
        {
            line.Append(Csv(key.Name)).Append(',');
        }

        await writer.WriteLineAsync(line.Append(EntityTable.TimestampColumn).ToString().AsMemory(), cancellationToken);
        foreach (var row in rows)
        {
            line.Clear();
            foreach (var key in table.JoinKeys)
            {
                line.Append(row.Entity[key.Name] is { } value ? Csv(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "") : "").Append(',');
            }

            line.Append(row.ServedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line.ToString().AsMemory(), cancellationToken);
        }
    }

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
