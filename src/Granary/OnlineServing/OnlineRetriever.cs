using System.Buffers;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Online;
using Granary.Monitoring;
using Granary.OnDemand;
using Granary.Registry;
using Granary.Core.Time;
using Granary.Core.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.OnlineServing;

/// <summary>
/// Reads online features: resolves the request against the registry (plans per registry version, queries per shape of
/// request), reads every (view, entity) record in one store batch, and decodes only what was asked, with Feast's
/// statuses. With a <paramref name="sampler"/> (a serving sample rate above 0), some served rows are offered to the
/// serving log after the response is complete; without one, serving does no more than that.
/// </summary>
internal sealed class OnlineRetriever(
    IOnlineStore store, RegistryCache registry, TimeProvider time, ILogger? logger = null, ServingSampler<ServedRow>? sampler = null, OnDemandFunctions? functions = null)
{
    private readonly OnDemandFunctions _functions = functions ?? OnDemandFunctions.None;
    private OnDemandPlans? _onDemand;
    private readonly DeprecationWarnings _deprecations = new(time, logger ?? NullLogger.Instance);
    private OnlinePlans? _plans;

    public async Task<OnlineFeaturesResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shape = OnlineQueryShape.Of(request);
        var entities = OnlineEntities.Columns(shape.JoinKeys, request.Entities);
        var plans = await PlansAsync(cancellationToken);
        if (OnDemandOf(plans.Registry) is { IsEmpty: false } onDemand && onDemand.Query(shape, plans.Resolution) is { } onDemandQuery)
        {
            // Reads the stored features it needs through this method again (a request without on-demand features).
            return await OnDemandRetrieval.ReadAsync(onDemandQuery, request, GetOnlineFeaturesAsync, cancellationToken);
        }

        var query = plans.Queries.Get(shape);
        if (query.Deprecated is { } deprecated)
        {
            _deprecations.Served(deprecated, request.Caller);
        }

        var response = new OnlineFeaturesResponse(query.Names, entities.Rows);

        // One key per (view, entity), all read in one batch: one round trip for network stores.
        var keys = OnlineEntities.Keys(query, entities, response);
        var records = new byte[]?[keys.Length];
        var states = StreamViewsOf(query) is { } streamViews
            ? await ReadWithStatesAsync(query, streamViews, keys, entities.Rows, records, cancellationToken)
            : null;
        if (states is null)
        {
            await store.ReadAsync(keys, records, cancellationToken);
        }

        var servedAt = time.GetUtcNow();
        Decode(query, records, states, response, UtcMicros.From(servedAt));
        if (sampler is not null)
        {
            ServedRowSampler.Offer(sampler, query, entities.Lists, response, servedAt);
        }

        return response;
    }

    /// <summary>Which views of the query are stream views, or null when none is (the common case, read as before).</summary>
    private static bool[]? StreamViewsOf(OnlineQuery query)
    {
        bool[]? stream = null;
        for (var v = 0; v < query.Views.Length; v++)
        {
            if (query.Views[v].Plan.Stream is not null)
            {
                (stream ??= new bool[query.Views.Length])[v] = true;
            }
        }

        return stream;
    }

    /// <summary>
    /// Reads the records of the ordinary views' keys and the aggregate states of the stream views' keys, the two
    /// batches at once; each key's slot in <paramref name="records"/> or in the returned states is its own.
    /// </summary>
    private async Task<AggregateStateEntry[]> ReadWithStatesAsync(
        OnlineQuery query, bool[] streamViews, OnlineKey[] keys, int rows, byte[]?[] records, CancellationToken cancellationToken)
    {
        var states = new AggregateStateEntry[keys.Length];
        var recordKeys = new List<OnlineKey>(keys.Length);
        var stateKeys = new List<OnlineKey>(keys.Length);
        for (var v = 0; v < streamViews.Length; v++)
        {
            var into = streamViews[v] ? stateKeys : recordKeys;
            for (var r = 0; r < rows; r++)
            {
                into.Add(keys[(v * rows) + r]);
            }
        }

        var stateStore = StreamFeatureReader.States(store, FirstStreamView(query, streamViews));
        var readStates = new AggregateStateEntry[stateKeys.Count];
        var readRecords = new byte[]?[recordKeys.Count];
        var statesRead = stateStore.ReadStatesAsync(stateKeys, readStates, cancellationToken);
        if (recordKeys.Count > 0)
        {
            await store.ReadAsync(recordKeys, readRecords, cancellationToken);
        }

        await statesRead;
        int nextRecord = 0, nextState = 0;
        for (var v = 0; v < streamViews.Length; v++)
        {
            for (var r = 0; r < rows; r++)
            {
                var slot = (v * rows) + r;
                if (streamViews[v])
                {
                    states[slot] = readStates[nextState++];
                }
                else
                {
                    records[slot] = readRecords[nextRecord++];
                }
            }
        }

        return states;
    }

    private static string FirstStreamView(OnlineQuery query, bool[] streamViews) => query.Views[Array.IndexOf(streamViews, true)].Plan.Name;

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
        OnlineViewPlan plan;
        try
        {
            // The namespace may name a version (view@v2), whose records live apart from the current version's.
            plan = plans.Views.GetValueOrDefault(viewName) ?? plans.Resolution.View(viewName);
        }
        catch (GranaryException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"Address '{address}': {e.Message}", e);
        }

        var index = plan.Schema.IndexOf(feature);
        if (index < 0)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"Address '{address}': feature view '{viewName}' has no feature '{feature}'.");
        }

        var reference = new FeatureReference(plan.Name, feature);
        if (plans.Resolution.CheckLifecycle(reference))
        {
            _deprecations.Served([reference.ToString()], caller: null);
        }

        var key = EntityKey.ParseText(address[(second + 1)..], plan.KeyTypes);
        if (plan.Stream is not null)
        {
            return await GetStreamValueAsync(plan, key, index, cancellationToken);
        }

        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(plan.Namespace, key)], records, cancellationToken);
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

    private async Task<OnlineValue> GetStreamValueAsync(OnlineViewPlan plan, EntityKey key, int index, CancellationToken cancellationToken)
    {
        var states = new AggregateStateEntry[1];
        await StreamFeatureReader.States(store, plan.Name).ReadStatesAsync([new OnlineKey(plan.Namespace, key)], states, cancellationToken);
        var type = plan.Schema.Features[index].Type;
        if (StreamFeatureReader.Aggregates(plan, states[0]) is not { } aggregates)
        {
            return new OnlineValue(FeatureValue.Null(type), FeatureStatus.NotFound, null);
        }

        var values = new FeatureValue[plan.Schema.Count];
        var (status, eventMicros) = StreamFeatureReader.ValuesAt(plan, aggregates, UtcMicros.From(time.GetUtcNow()), values);
        var value = status == FeatureStatus.Present ? values[index] : FeatureValue.Null(type);
        return new OnlineValue(value, status, UtcMicros.ToDateTimeOffset(eventMicros));
    }

    private static void Decode(OnlineQuery query, byte[]?[] records, AggregateStateEntry[]? states, OnlineFeaturesResponse response, long now)
    {
        // Pooled: a wide view's decode buffer would otherwise be the largest allocation of a small request.
        var decoded = ArrayPool<FeatureValue>.Shared.Rent(query.MaxSchemaCount);
        try
        {
            DecodeInto(query, records, states, response, now, decoded);
        }
        finally
        {
            // Only the part used can hold strings or arrays of this request; the rest of the rented array is clear.
            decoded.AsSpan(0, query.MaxSchemaCount).Clear();
            ArrayPool<FeatureValue>.Shared.Return(decoded);
        }
    }

    private static void DecodeInto(OnlineQuery query, byte[]?[] records, AggregateStateEntry[]? states, OnlineFeaturesResponse response, long now, FeatureValue[] decoded)
    {
        var rows = response.RowCount;
        var column = query.KeyColumnCount;
        for (var v = 0; v < query.Views.Length; v++)
        {
            var read = query.Views[v];
            var plan = read.Plan;
            var values = decoded.AsSpan(0, plan.Schema.Count);
            if (plan.Stream is not null)
            {
                DecodeStream(read, states!, v * rows, rows, response, column, now, values);
                column += read.FeatureIndexes.Length;
                continue;
            }

            for (var r = 0; r < rows; r++)
            {
                var record = records[(v * rows) + r];
                if (record is null || !OnlineRecord.TryDecode(record, plan.Schema, values, read.Wanted))
                {
                    Fill(response, column, read, r, FeatureStatus.NotFound, 0, decoded: default);
                    continue;
                }

                var eventMicros = OnlineRecord.EventMicros(record);
                var stale = plan.TtlMicros > 0 && now - eventMicros > plan.TtlMicros;
                Fill(response, column, read, r, stale ? FeatureStatus.OutsideMaxAge : FeatureStatus.Present, eventMicros, stale ? default : values);
            }

            column += read.FeatureIndexes.Length;
        }
    }

    private static void DecodeStream(
        OnlineViewRead read, AggregateStateEntry[] states, int first, int rows, OnlineFeaturesResponse response, int column, long now, Span<FeatureValue> values)
    {
        for (var r = 0; r < rows; r++)
        {
            if (StreamFeatureReader.Aggregates(read.Plan, states[first + r]) is not { } aggregates)
            {
                Fill(response, column, read, r, FeatureStatus.NotFound, 0, decoded: default);
                continue;
            }

            var (status, eventMicros) = StreamFeatureReader.ValuesAt(read.Plan, aggregates, now, values);
            // A window without events is an answer (count 0, null for the rest), not a missing value: PRESENT.
            Fill(response, column, read, r, status, eventMicros, status == FeatureStatus.Present ? values : default, nullIsPresent: true);
        }
    }

    // decoded is empty when the values are withheld (not found, or older than the ttl): every feature is then null.
    private static void Fill(
        OnlineFeaturesResponse response, int firstColumn, OnlineViewRead read, int row, FeatureStatus status, long eventMicros, ReadOnlySpan<FeatureValue> decoded, bool nullIsPresent = false)
    {
        var indexes = read.FeatureIndexes;
        for (var f = 0; f < indexes.Length; f++)
        {
            var value = decoded.IsEmpty ? FeatureValue.Null(read.Plan.Schema.Features[indexes[f]].Type) : decoded[indexes[f]];
            response.Set(firstColumn + f, row, value, status == FeatureStatus.Present && value.IsNull && !nullIsPresent ? FeatureStatus.NullValue : status, eventMicros);
        }
    }

    private OnDemandPlans OnDemandOf(RegistryContents contents)
    {
        var plans = Volatile.Read(ref _onDemand);
        if (plans is null || !ReferenceEquals(plans.Registry, contents))
        {
            plans = new OnDemandPlans(contents, _functions);
            Volatile.Write(ref _onDemand, plans);
        }

        return plans;
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
