namespace Granary.Streaming.Sources;

/// <summary>
/// One message as a stream source delivered it, before decoding: its position in the source (<see cref="Id"/>: a
/// Redis entry id such as <c>1733130000000-0</c>, a NATS stream sequence such as <c>42</c>) and its payload, either
/// the entry's field/value pairs (Redis Streams) or a body (NATS JetStream).
/// </summary>
/// <param name="Id">The source's own id of the message; the same message redelivered has the same id.</param>
/// <param name="Fields">The field/value pairs of a Redis entry, in the order written; empty for a body.</param>
/// <param name="Body">The message body of a NATS message; empty for field/value pairs.</param>
/// <param name="Redelivered">
/// True when the source may have delivered the message before (a pending entry read again or claimed, a NATS message
/// delivered more than once), so a handler can tell a replay from a first delivery.
/// </param>
internal readonly record struct SourceMessage(
    string Id, IReadOnlyList<KeyValuePair<string, string>> Fields, ReadOnlyMemory<byte> Body, bool Redelivered);
