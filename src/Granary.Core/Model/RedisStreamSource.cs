namespace Granary.Core.Model;

/// <summary>
/// A Redis stream read through a consumer group. Each entry is one event: its field/value pairs are the columns,
/// or a single field <c>json</c> holds a JSON object.
/// </summary>
public sealed record RedisStreamSource : StreamSource
{
    /// <summary>A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c>.</summary>
    public required string Connection { get; init; }

    /// <summary>The stream's key.</summary>
    public required string Stream { get; init; }

    /// <summary>The consumer group, created at the stream's start when it does not exist.</summary>
    public required string Group { get; init; }

    public override string SourceType => "redis_stream";
}
