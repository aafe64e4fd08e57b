using Granary.Errors;
using Granary.Model;
using Granary.Online;
using Granary.Registry;
using Granary.Time;
using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// Reads online features: resolves references against the registry (plans cached per registry version), reads every
/// (view, entity) record in one store batch, and decodes only what was asked, with Feast's statuses.
/// </summary>
public sealed class OnlineRetriever(IOnlineStore store, RegistryCache registry, TimeProvider time)
{
    private OnlinePlans? _plans;

    public async Task<OnlineFeaturesResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plans = await PlansAsync(cancellationToken);
        var selection = OnlineSelection.Resolve(request, plans);
        var rows = selection.RowCount;

        // One key per (view, entity), all read in one batch: one round trip for network stores.
        var keys = new OnlineKey[selection.Views.Count * rows];
        for (var v = 0; v < selection.Views.Count; v++)
        {
            var plan = selection.Views[v].Plan;
            for (var r = 0; r < rows; r++)
            {
                keys[(v * rows) + r] = new OnlineKey(plan.Name, selection.EntityKey(v, r));
            }
        }

        var records = new byte[]?[keys.Length];
        await store.ReadAsync(keys, records, cancellationToken);

        var now = UtcMicros.From(time.GetUtcNow());
        var results = new List<OnlineFeatureColumn>(selection.JoinKeys.Count + selection.FeatureCount);
        foreach (var joinKey in selection.JoinKeys)
        {
            results.Add(selection.KeyColumn(joinKey));
        }

        for (var v = 0; v < selection.Views.Count; v++)
        {
            var (plan, featureIndexes) = selection.Views[v];
            var columns = new OnlineFeatureColumn[featureIndexes.Count];
            for (var f = 0; f < columns.Length; f++)
            {
                columns[f] = new OnlineFeatureColumn(new FeatureValue[rows], new FeatureStatus[rows], new long[rows]);
            }

            var decoded = new FeatureValue[plan.Schema.Count];
            var wanted = new bool[plan.Schema.Count];
            foreach (var index in featureIndexes)
            {
                wanted[index] = true;
            }

            for (var r = 0; r < rows; r++)
            {
                var record = records[(v * rows) + r];
                if (record is null || !OnlineRecord.TryDecode(record, plan.Schema, decoded, wanted))
                {
                    Fill(columns, featureIndexes, plan, r, FeatureStatus.NotFound, 0, decoded: null);
                    continue;
                }

                var eventMicros = OnlineRecord.EventMicros(record);
                var stale = plan.TtlMicros > 0 && now - eventMicros > plan.TtlMicros;
                Fill(columns, featureIndexes, plan, r, stale ? FeatureStatus.OutsideMaxAge : FeatureStatus.Present, eventMicros, stale ? null : decoded);
            }

            results.AddRange(columns);
        }

        return new OnlineFeaturesResponse(selection.Names, results);
    }

    /// <summary>Reads one value by its <c>{namespace}:{feature}:{entity_key}</c> address (namespace = feature view).</summary>
    public async Task<OnlineValue> GetValueAsync(string address, CancellationToken cancellationToken = default)
    {
        var first = address.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : address.IndexOf(':', first + 1);
        if (second < 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Address '{address}' is not of the form {{namespace}}:{{feature}}:{{entity_key}}.");
        }

        var viewName = address[..first];
        var feature = address[(first + 1)..second];
        var plans = await PlansAsync(cancellationToken);
        var plan = plans.Views.GetValueOrDefault(viewName)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"Address '{address}': no feature view '{viewName}'.");
        var index = plan.Schema.IndexOf(feature);
        if (index < 0)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"Address '{address}': feature view '{viewName}' has no feature '{feature}'.");
        }

        var key = EntityKey.ParseText(address[(second + 1)..], plan.KeyTypes);
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(plan.Name, key)], records, cancellationToken);
        var type = plan.Schema.Features[index].Type;
        var decoded = new FeatureValue[plan.Schema.Count];
        if (records[0] is not { } record || !OnlineRecord.TryDecode(record, plan.Schema, decoded))
        {
            return new OnlineValue(FeatureValue.Null(type), FeatureStatus.NotFound, null);
        }

        var eventMicros = OnlineRecord.EventMicros(record);
        var at = UtcMicros.ToDateTimeOffset(eventMicros);
        if (plan.TtlMicros > 0 && UtcMicros.From(time.GetUtcNow()) - eventMicros > plan.TtlMicros)
        {
            return new OnlineValue(FeatureValue.Null(type), FeatureStatus.OutsideMaxAge, at);
        }

        var value = decoded[index];
        return new OnlineValue(value, value.IsNull ? FeatureStatus.NullValue : FeatureStatus.Present, at);
    }

    private static void Fill(OnlineFeatureColumn[] columns, IReadOnlyList<int> featureIndexes, OnlineViewPlan plan, int row, FeatureStatus status, long eventMicros, FeatureValue[]? decoded)
    {
        for (var f = 0; f < columns.Length; f++)
        {
            var field = plan.Schema.Features[featureIndexes[f]];
            var value = decoded is null ? FeatureValue.Null(field.Type) : decoded[featureIndexes[f]];
            columns[f].Values[row] = value;
            columns[f].Statuses[row] = status == FeatureStatus.Present && value.IsNull ? FeatureStatus.NullValue : status;
            columns[f].EventTimestamps[row] = eventMicros;
        }
    }

    private async ValueTask<OnlinePlans> PlansAsync(CancellationToken cancellationToken)
    {
        var contents = await registry.GetAsync(cancellationToken);
        var plans = Volatile.Read(ref _plans);
        if (plans is null || !ReferenceEquals(plans.Registry, contents))
        {
            plans = OnlinePlans.For(contents);
            Volatile.Write(ref _plans, plans);
        }

        return plans;
    }
}
