namespace Granary.Push;

/// <summary>
/// Rows pushed by an application or a stream to a push source, column-major as Feast's <c>df</c>: each column a list,
/// all of one length, named as the definitions name them (join keys, the batch source's timestamp field, features).
/// </summary>
public sealed record PushRequest
{
    public required string PushSourceName { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<object?>> Columns { get; init; }

    public PushTarget To { get; init; } = PushTarget.Online;
}
