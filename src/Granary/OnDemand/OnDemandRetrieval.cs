using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Values;
using Granary.OnlineServing;

namespace Granary.OnDemand;

/// <summary>
/// Answers a request with on-demand features: reads the stored features the query needs in one online read, then per
/// entity fills each on-demand view's inputs (request values from <c>request_context</c>, or from an <c>entities</c>
/// column of that name, and the stored values just read) and runs its compiled features. An on-demand feature's event
/// time is the newest of its stored inputs' (0 when it reads request data only); its status is PRESENT, or NULL_VALUE
/// when it computes null.
/// </summary>
internal static class OnDemandRetrieval
{
    public static async Task<OnlineFeaturesResponse> ReadAsync(
        OnDemandQuery query, OnlineFeaturesRequest request, Func<OnlineFeaturesRequest, CancellationToken, Task<OnlineFeaturesResponse>> readStored, CancellationToken cancellationToken)
    {
        OnlineFeaturesResponse? stored = null;
        if (query.StoredFeatures.Length > 0)
        {
            stored = await readStored(request with { Features = query.StoredFeatures, FeatureService = null, FullFeatureNames = true }, cancellationToken);
        }

        var rows = stored?.RowCount ?? RowsOf(request);
        var keyColumns = stored is null ? 0 : stored.FeatureNames.Count - query.StoredFeatures.Length;
        var response = new OnlineFeaturesResponse(stored is null ? query.FeatureNames : query.Names(stored.FeatureNames, keyColumns), rows);
        if (stored is not null)
        {
            for (var k = 0; k < keyColumns; k++)
            {
                Copy(stored, k, response, k, rows);
            }

            for (var c = 0; c < query.PassThrough.Length; c++)
            {
                if (query.PassThrough[c] >= 0)
                {
                    Copy(stored, keyColumns + query.PassThrough[c], response, keyColumns + c, rows);
                }
            }
        }

        foreach (var view in query.Views)
        {
            Compute(view, request, stored, keyColumns, response, rows);
        }

        return response;
    }

    private static void Compute(OnDemandViewRead view, OnlineFeaturesRequest request, OnlineFeaturesResponse? stored, int keyColumns, OnlineFeaturesResponse response, int rows)
    {
        var plan = view.Plan;
        var inputs = plan.Inputs;
        var requestLists = new IReadOnlyList<object?>?[inputs.Length];
        var cells = new FeatureValue[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            if (view.StoredInputs[i] == OnDemandViewRead.Request)
            {
                requestLists[i] = RequestList(request, inputs[i], plan.Name, rows);
            }

            cells[i] = FeatureValue.Null(inputs[i].Type);
        }

        var row = new OnDemandRow(cells);
        var functionInputs = new OnDemandInputs(plan.Ordinals, cells);
        for (var r = 0; r < rows; r++)
        {
            long eventMicros = 0;
            for (var i = 0; i < inputs.Length; i++)
            {
                if (requestLists[i] is { } list)
                {
                    cells[i] = OnDemandValues.FromRequest(list[r], inputs[i].Type, inputs[i].Name, r);
                }
                else if (view.StoredInputs[i] >= 0)
                {
                    var column = keyColumns + view.StoredInputs[i];
                    cells[i] = stored!.Values(column)[r];
                    eventMicros = Math.Max(eventMicros, stored.EventTimestamps(column)[r]);
                }
            }

            foreach (var (column, feature) in view.Outputs)
            {
                var value = plan.Features[feature].Compute(row, functionInputs);
                response.Set(keyColumns + column, r, value, value.IsNull ? FeatureStatus.NullValue : FeatureStatus.Present, eventMicros);
            }
        }
    }

    private static IReadOnlyList<object?> RequestList(OnlineFeaturesRequest request, OnDemandInput input, string view, int rows)
    {
        var list = request.RequestContext is { } context && context.TryGetValue(input.Name, out var given) ? given
            : request.Entities.TryGetValue(input.Name, out var column) ? column
            : throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"request_context: missing '{input.Name}' ({input.Type}), needed by on-demand feature view '{view}'; send it in request_context (or as a column of entities), one value per entity.");
        if (list is null || list.Count != rows)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"request_context.{input.Name}: expected {rows} value{(rows == 1 ? "" : "s")}, one per entity, got {list?.Count ?? 0}.");
        }

        return list;
    }

    private static int RowsOf(OnlineFeaturesRequest request)
    {
        foreach (var (_, list) in request.Entities)
        {
            return list?.Count ?? 0;
        }

        if (request.RequestContext is { } context)
        {
            foreach (var (_, list) in context)
            {
                return list?.Count ?? 0;
            }
        }

        return 0;
    }

    private static void Copy(OnlineFeaturesResponse from, int fromColumn, OnlineFeaturesResponse to, int toColumn, int rows)
    {
        var values = from.Values(fromColumn);
        var statuses = from.Statuses(fromColumn);
        var times = from.EventTimestamps(fromColumn);
        for (var r = 0; r < rows; r++)
        {
            to.Set(toColumn, r, values[r], statuses[r], times[r]);
        }
    }
}
