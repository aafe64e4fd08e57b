namespace Granary.Core.Model;

/// <summary>A NATS JetStream stream read through a durable consumer; each message body is one event, a JSON object.</summary>
public sealed record NatsSource : StreamSource
{
    /// <summary>The server URL, such as <c>nats://127.0.0.1:4222</c>; several may be given, separated by commas.</summary>
    public required string Url { get; init; }

    /// <summary>The JetStream stream's name.</summary>
    public required string Stream { get; init; }

    /// <summary>The subject filter of the consumer, such as <c>clicks.&gt;</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>The durable consumer's name.</summary>
    public required string Durable { get; init; }

    public override string SourceType => "nats";
}
