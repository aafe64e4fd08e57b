namespace Granary.Tests.Diagnostics;

/// <summary>
/// Tests that listen to Granary's activity sources, or check what happens while nobody does: an
/// <see cref="System.Diagnostics.ActivityListener"/> is process-wide, so they run one at a time, apart from the rest.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActivityListenerCollection
{
    public const string Name = "Activity listeners";
}
