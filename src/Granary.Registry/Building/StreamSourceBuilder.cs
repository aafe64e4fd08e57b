namespace Granary.Registry.Building;

/// <summary>Configures a redis_stream or nats source; see <see cref="RepositoryBuilder.RedisStreamSource"/>.</summary>
public sealed class StreamSourceBuilder : MetadataBuilder<StreamSourceBuilder>
{
    internal string? TimestampFieldName { get; private set; }

    /// <summary>The event column holding the event time; by default the batch source's timestamp field.</summary>
    public StreamSourceBuilder TimestampField(string column)
    {
        TimestampFieldName = column;
        return this;
    }
}
