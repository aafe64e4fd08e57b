using System.Data.Common;
using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Diagnostics;

namespace Granary.Materialization;

/// <summary>
/// Loads the latest value per entity of a view from the offline engine into the online store, in batches: the
/// engine streams rows, each batch is written (and acknowledged durable) while the next is read, so memory does not
/// grow with the interval. The view's watermark moves to the interval's end only after its last batch is durable;
/// an interrupted run leaves the watermark where it was, and re-running is harmless (writes are last-write-wins).
/// </summary>
internal sealed class Materializer(ILatestValuesReader offline, IOnlineStore online, string repositoryRoot)
{
    public const int DefaultBatchSize = 10_000;

    public int BatchSize { get; init; } = DefaultBatchSize;

    public async Task<MaterializationResult> MaterializeAsync(
        OnlineViewPlan plan, DateTimeOffset start, DateTimeOffset end, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = MaterializationTelemetry.Source.StartActivity("granary.materialize");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MaterializationTelemetry.FeatureView, plan.Name);
            activity.SetTag(MaterializationTelemetry.IntervalStart, start.UtcDateTime.ToString("O"));
            activity.SetTag(MaterializationTelemetry.IntervalEnd, end.UtcDateTime.ToString("O"));
        }

        try
        {
            var result = await MaterializeViewAsync(plan, start, end, progress, cancellationToken);
            activity?.SetTag(MaterializationTelemetry.Rows, result.Rows);
            activity?.SetTag(MaterializationTelemetry.Written, result.Written);
            return result;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<MaterializationResult> MaterializeViewAsync(
        OnlineViewPlan plan, DateTimeOffset start, DateTimeOffset end, IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        if (end < start)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The interval to materialize ends ({end:u}) before it starts ({start:u}).");
        }

        var clock = Stopwatch.StartNew();
        var request = plan.LatestValues(start, end, repositoryRoot);
        var total = progress is null ? 0 : await offline.CountLatestAsync(request, cancellationToken);
        progress?.Report(new MaterializationProgress(plan.Name, 0, total));
        long rows = 0, written = 0, skipped = 0;
        await using (var source = await offline.ReadLatestAsync(request, cancellationToken))
        {
            var reader = source.Reader;
            var values = new FeatureValue[plan.Schema.Count];
            var keyParts = new FeatureValue[plan.JoinKeys.Count];
            Task<int>? pending = null;
            var batch = new List<OnlineWrite>(BatchSize);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                if (ToWrite(plan, reader, keyParts, values) is { } write)
                {
                    batch.Add(write);
                }
                else
                {
                    skipped++;
                }

                if (batch.Count == BatchSize)
                {
                    written += pending is null ? 0 : await pending;
                    // Not awaited yet: the store writes this batch (the embedded one on its background writer, Redis
                    // over the network) while the next one is read.
                    pending = online.WriteAsync(batch, cancellationToken);
                    batch = new List<OnlineWrite>(BatchSize);
                    progress?.Report(new MaterializationProgress(plan.Name, rows, total));
                }
            }

            written += pending is null ? 0 : await pending;
            if (batch.Count > 0)
            {
                written += await online.WriteAsync(batch, cancellationToken);
            }
        }

        await online.SetWatermarkAsync(plan.Name, end, cancellationToken);
        progress?.Report(new MaterializationProgress(plan.Name, rows, Math.Max(total, rows)));
        return new MaterializationResult(plan.Name, start, end, rows, written, skipped, clock.Elapsed);
    }

    // Columns: join keys, event time, created time, features (LatestValuesRequest's layout).
    private static OnlineWrite? ToWrite(OnlineViewPlan plan, DbDataReader reader, FeatureValue[] keyParts, FeatureValue[] values)
    {
        var keys = keyParts.Length;
        for (var k = 0; k < keys; k++)
        {
            if (reader.IsDBNull(k))
            {
                return null;
            }

            keyParts[k] = Convert(plan, reader, k, plan.KeyTypes[k], plan.JoinKeys[k]);
        }

        var eventMicros = Micros(reader.GetValue(keys));
        var createdMicros = reader.IsDBNull(keys + 1) ? UtcMicros.None : Micros(reader.GetValue(keys + 1));
        for (var f = 0; f < values.Length; f++)
        {
            var field = plan.Schema.Features[f];
            values[f] = Convert(plan, reader, keys + 2 + f, field.Type, field.Name);
        }

        return new OnlineWrite(plan.Name, EntityKey.Create(keyParts), OnlineRecord.Encode(plan.Schema, eventMicros, createdMicros, values));
    }

    private static FeatureValue Convert(OnlineViewPlan plan, DbDataReader reader, int ordinal, Core.Model.FeatureType type, string column)
    {
        var value = reader.GetValue(ordinal);
        try
        {
            return ClrValues.ToFeatureValue(value, type);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{plan.Name}': column '{column}' holds {value} ({value.GetType().Name}), which is not a {type}: {e.Message}.", e);
        }
    }

    private static long Micros(object value) => value switch
    {
        DateTimeOffset d => UtcMicros.From(d),
        DateTime d => UtcMicros.From(d),
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"An event timestamp came back as {value.GetType().Name}, not a timestamp."),
    };
}
