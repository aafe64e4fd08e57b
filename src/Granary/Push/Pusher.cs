using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Registry;
using Granary.Core.Time;

namespace Granary.Push;

/// <summary>
/// Pushes rows: every row of every affected view is converted and checked first, then logged to the batch source
/// (offline) and written to the online store last-write-wins. A rejected push writes nothing.
/// </summary>
internal sealed class Pusher(IOfflineEngine offline, IOnlineStore online, string repositoryRoot, TimeProvider time)
{
    public async Task<PushResult> PushAsync(PushRequest request, RegistryContents registry, CancellationToken cancellationToken)
    {
        var definitions = registry.Definitions;
        var source = definitions.FindSource(request.PushSourceName) switch
        {
            PushSource push => push,
            null => throw new GranaryException(ErrorCodes.NotFound, $"No push source '{request.PushSourceName}' in project '{registry.Project}'.{Hint(request.PushSourceName, definitions.Sources.Where(s => s is PushSource).Select(s => s.Name))}"),
            var other => throw new GranaryException(ErrorCodes.InvalidArgument, $"Source '{other.Name}' is a {other.SourceType} source, not a push source."),
        };
        var batch = definitions.FindSource(source.BatchSourceName) as BatchSource
            ?? throw new GranaryException(ErrorCodes.UnknownReference, $"Push source '{source.Name}' has no batch source '{source.BatchSourceName}' in the registry.");
        var rows = PushedRows.CountRows(request.Columns);
        if (!batch.FieldMapping.Values.Contains(batch.TimestampField) && !request.Columns.ContainsKey(batch.TimestampField))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"df: missing column '{batch.TimestampField}', the event timestamp of push source '{source.Name}'.");
        }

        var views = new List<string>();
        var writes = new List<OnlineWrite>();
        var toOnline = request.To != PushTarget.Offline;
        var now = UtcMicros.From(time.GetUtcNow());
        foreach (var view in definitions.FeatureViews)
        {
            if (view.Source == source.Name && (view.Online || !toOnline))
            {
                views.Add(view.Name);
                var plan = OnlineViewPlan.For(view, definitions);
                if (toOnline)
                {
                    writes.AddRange(PushedRows.ToWrites(plan, batch, request.Columns, rows, now));
                }
                else
                {
                    PushedRows.CheckOffline(plan, batch, request.Columns, rows);
                }
            }
        }

        var toOffline = request.To != PushTarget.Online;
        if (toOffline)
        {
            await offline.AppendAsync(batch, repositoryRoot, request.Columns, rows, cancellationToken);
        }

        var written = writes.Count > 0 ? await online.WriteAsync(writes, cancellationToken) : 0;
        return new PushResult(rows, written, toOffline, views);
    }

    /// <summary>Feast's <c>write_to_online_store</c>: rows for one view, straight into the online store.</summary>
    public async Task<int> WriteToOnlineAsync(string viewName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, RegistryContents registry, CancellationToken cancellationToken)
    {
        var definitions = registry.Definitions;
        var view = definitions.FindFeatureView(viewName)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"No feature view '{viewName}' in project '{registry.Project}'.{Hint(viewName, definitions.FeatureViews.Select(v => v.Name))}");
        var plan = OnlineViewPlan.For(view, definitions);
        var batch = plan.Source ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{viewName}' has no batch source that names its timestamp column.");
        var rows = PushedRows.CountRows(columns);
        var writes = PushedRows.ToWrites(plan, batch, columns, rows, UtcMicros.From(time.GetUtcNow()));
        return await online.WriteAsync(writes, cancellationToken);
    }

    private static string Hint(string name, IEnumerable<string> candidates) =>
        Suggestions.Closest(name, candidates) is { } s ? $" Did you mean '{s}'?" : "";
}
