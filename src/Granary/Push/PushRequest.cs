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

    /// <summary>
    /// Write the rows that pass the views' <c>error</c> validation rules and drop the others (reported in
    /// <see cref="PushResult.RejectedRows"/>), instead of refusing the whole push; <c>"allow_partial"</c> in a push body.
    /// </summary>
    public bool AllowPartial { get; init; }
}
