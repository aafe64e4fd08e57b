using Granary.Registry.Monitoring;

namespace Granary.Registry.Storage;

/// <summary>The monitoring state's half of a registry store (<see cref="IMonitoringStore"/>), SQL shared by every database.</summary>
internal abstract partial class RegistryStoreBase
{
    // The comparison keeps the newest time whichever writer commits last. Timestamps compare in both databases:
    // timestamptz in PostgreSQL, fixed-width UTC text in SQLite.
    private const string UpsertNewestEventSql = """
        INSERT INTO granary_view_freshness (project, view_name, newest_event, recorded_at)
        VALUES (@project, @view, @newest, @recorded)
        ON CONFLICT (project, view_name) DO UPDATE SET
            newest_event = excluded.newest_event, recorded_at = excluded.recorded_at
        WHERE excluded.newest_event > granary_view_freshness.newest_event
        """;

    private const string SelectNewestEventsSql = """
        SELECT view_name, newest_event, recorded_at FROM granary_view_freshness WHERE project = @project ORDER BY view_name
        """;

    private const string UpsertAlertFiringSql = """
        INSERT INTO granary_alert_firings (project, alert_name, view_name, condition, fired_at)
        VALUES (@project, @alert, @view, @condition, @fired)
        ON CONFLICT (project, alert_name, view_name, condition) DO UPDATE SET fired_at = excluded.fired_at
        WHERE excluded.fired_at > granary_alert_firings.fired_at
        """;

    private const string SelectAlertFiringsSql = """
        SELECT alert_name, view_name, condition, fired_at FROM granary_alert_firings WHERE project = @project
        ORDER BY alert_name, view_name, condition
        """;

    /// <inheritdoc />
    public Task RecordAlertFiringsAsync(string project, IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default) =>
        GuardAsync(RecordAlertFiringsAsyncCore(project, firings, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertFiring>> GetAlertFiringsAsync(string project, CancellationToken cancellationToken = default) =>
        GuardAsync(GetAlertFiringsAsyncCore(project, cancellationToken));

    /// <inheritdoc />
    public Task RecordNewestEventsAsync(string project, IReadOnlyList<ViewNewestEvent> events, CancellationToken cancellationToken = default) =>
        GuardAsync(RecordNewestEventsAsyncCore(project, events, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<ViewNewestEvent>> GetNewestEventsAsync(string project, CancellationToken cancellationToken = default) =>
        GuardAsync(GetNewestEventsAsyncCore(project, cancellationToken));

    private async Task RecordNewestEventsAsyncCore(string project, IReadOnlyList<ViewNewestEvent> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await using (var command = CreateCommand(transaction, UpsertNewestEventSql))
        {
            AddParameter(command, "@project", project);
            var view = AddParameter(command, "@view", null);
            var newest = AddParameter(command, "@newest", null);
            var recorded = AddParameter(command, "@recorded", null);
            foreach (var newestEvent in events)
            {
                ArgumentException.ThrowIfNullOrEmpty(newestEvent.View, nameof(events));
                view.Value = newestEvent.View;
                newest.Value = ToDbTimestamp(ToUtcMicroseconds(newestEvent.NewestEvent));
                recorded.Value = ToDbTimestamp(ToUtcMicroseconds(newestEvent.RecordedAt));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<ViewNewestEvent>> GetNewestEventsAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectNewestEventsSql);
        AddParameter(command, "@project", project);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<ViewNewestEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new ViewNewestEvent(reader.GetString(0), ReadTimestamp(reader, 1), ReadTimestamp(reader, 2)));
        }

        return events;
    }

    private async Task RecordAlertFiringsAsyncCore(string project, IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(firings);
        if (firings.Count == 0)
        {
            return;
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await using (var command = CreateCommand(transaction, UpsertAlertFiringSql))
        {
            AddParameter(command, "@project", project);
            var alert = AddParameter(command, "@alert", null);
            var view = AddParameter(command, "@view", null);
            var condition = AddParameter(command, "@condition", null);
            var fired = AddParameter(command, "@fired", null);
            foreach (var firing in firings)
            {
                ArgumentException.ThrowIfNullOrEmpty(firing.Alert, nameof(firings));
                ArgumentException.ThrowIfNullOrEmpty(firing.View, nameof(firings));
                alert.Value = firing.Alert;
                view.Value = firing.View;
                condition.Value = firing.Condition;
                fired.Value = ToDbTimestamp(ToUtcMicroseconds(firing.FiredAt));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<AlertFiring>> GetAlertFiringsAsyncCore(string project, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectAlertFiringsSql);
        AddParameter(command, "@project", project);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var firings = new List<AlertFiring>();
        while (await reader.ReadAsync(cancellationToken))
        {
            firings.Add(new AlertFiring(reader.GetString(0), reader.GetString(1), reader.GetString(2), ReadTimestamp(reader, 3)));
        }

        return firings;
    }
}
