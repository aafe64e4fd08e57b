namespace Granary.Core.Model;

/// <summary>
/// A source of events read by a long-lived consumer (<see cref="RedisStreamSource"/>, <see cref="NatsSource"/>).
/// Like a <see cref="PushSource"/>, its events are logged to <see cref="BatchSourceName"/>, which gives it its
/// schema and history.
/// </summary>
public abstract record StreamSource : DataSource
{
    public required string BatchSourceName { get; init; }

    /// <summary>The event column holding the event time; null to use the batch source's timestamp field.</summary>
    public string? TimestampField { get; init; }
}
