namespace Granary.Lineage;

/// <summary>One OpenLineage <c>RunEvent</c>, written as JSON, and the job and run it reports.</summary>
/// <param name="JobName">The job's name, e.g. <c>feature_view.user_stats</c>.</param>
/// <param name="RunId">The run's id: the same for the same definitions, so exporting again changes nothing.</param>
/// <param name="Json">The event as one line of JSON.</param>
public sealed record OpenLineageEvent(string JobName, Guid RunId, string Json);
