namespace Granary.Contracts.Http;

/// <summary>
/// <c>POST /get-online-features</c>'s body as read (<see cref="OnlineFeaturesRequestJson"/>): entity values as CLR
/// primitives, for the server to hand to the feature store.
/// </summary>
/// <param name="Features">Feature references, <c>view:feature</c>; empty when none were given.</param>
/// <param name="FeatureService">The feature service to read; null when none (or an empty name) was given.</param>
/// <param name="Entities">Join key → its values, one per entity.</param>
/// <param name="FullFeatureNames">Whether feature columns are named <c>view__feature</c>.</param>
/// <param name="RequestContext">Request data for on-demand feature views, field → its values; null when none was given.</param>
/// <param name="Experiment">The experiment to serve a variant of; null when none was given.</param>
/// <param name="UnitId">The unit assigned a variant; null when none was given.</param>
internal readonly record struct OnlineFeaturesRequestBody(
    IReadOnlyList<string> Features,
    string? FeatureService,
    Dictionary<string, IReadOnlyList<object?>> Entities,
    bool FullFeatureNames,
    Dictionary<string, IReadOnlyList<object?>>? RequestContext = null,
    string? Experiment = null,
    string? UnitId = null);
