namespace Granary.Registry.Planning;

/// <summary>One property that an update changes, with the old and new values as short JSON text (null when absent).</summary>
public sealed record PropertyChange(string Path, string? OldValue, string? NewValue)
{
    public override string ToString() => (OldValue, NewValue) switch
    {
        (null, _) => $"{Path}: + {NewValue}",
        (_, null) => $"{Path}: - {OldValue}",
        _ => $"{Path}: {OldValue} -> {NewValue}",
    };
}
