namespace Granary.Cli.Commands;

/// <summary>One click pushed by the quickstart: its impression id (the view's event id) and its time.</summary>
internal readonly record struct PushedClick(long ImpressionId, DateTimeOffset At);

/// <summary>
/// What the stream step pushed (in batches), the late rows each push reported, and the features it read, in
/// <see cref="QuickstartStream.Features"/> order: online after the first and after the second push, and in the training
/// set at <see cref="ReadAt"/>; null where not found.
/// </summary>
internal sealed record QuickstartStreamResult(
    long User, IReadOnlyList<PushedClick[]> Batches, IReadOnlyList<int> LateRows, long?[] Before, long?[] After, long?[] Training, DateTimeOffset ReadAt);
