namespace Granary.OnlineServing;

/// <summary>Which experiment variant an answer was served from (<c>metadata.experiment</c> on the wire).</summary>
/// <param name="Name">The experiment.</param>
/// <param name="Variant">The variant the request's unit is assigned.</param>
public sealed record ServedExperiment(string Name, string Variant);
