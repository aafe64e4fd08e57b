using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Resolution;
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
        var resolution = RegistryResolution.Of(registry);
        var push = resolution.PushSource(request.PushSourceName);
        var (source, batch) = (push.Source, push.Batch);
        var toOffline = request.To != PushTarget.Online;

        // Asked for before anything is checked or written: an engine without a push log refuses the push whole.
        var log = toOffline
            ? offline.Require<IPushLog>($"log pushed rows to batch source '{batch.Name}'", "Push with to: online, or configure an offline_store that keeps pushed rows.")
            : null;
        var rows = PushedRows.CountRows(request.Columns);
        if (!batch.FieldMapping.Values.Contains(batch.TimestampField) && !request.Columns.ContainsKey(batch.TimestampField))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"df: missing column '{batch.TimestampField}', the event timestamp of push source '{source.Name}'.");
        }

        var views = new List<string>();
        var writes = new List<OnlineWrite>();
        var toOnline = request.To != PushTarget.Offline;
        var now = UtcMicros.From(time.GetUtcNow());
        foreach (var plan in push.Views)
        {
            if (plan.View.Online || !toOnline)
            {
                views.Add(plan.Name);
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

        if (log is not null)
        {
            await log.AppendAsync(batch, repositoryRoot, request.Columns, rows, cancellationToken);
        }

        var written = writes.Count > 0 ? await online.WriteAsync(writes, cancellationToken) : 0;
        return new PushResult(rows, written, toOffline, views);
    }

    /// <summary>Feast's <c>write_to_online_store</c>: rows for one view, straight into the online store.</summary>
    public async Task<int> WriteToOnlineAsync(string viewName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, RegistryContents registry, CancellationToken cancellationToken)
    {
        var plan = RegistryResolution.Of(registry).View(viewName);
        var batch = plan.RequireSource();
        var rows = PushedRows.CountRows(columns);
        var writes = PushedRows.ToWrites(plan, batch, columns, rows, UtcMicros.From(time.GetUtcNow()));
        return await online.WriteAsync(writes, cancellationToken);
    }
}
