namespace Granary.Quality.Profiles;

/// <summary>The profile of a feature view's source rows whose event time is in [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record ViewProfile
{
    /// <summary>
    /// The stored profile's id: a version-7 GUID as 32 hexadecimal digits (ordered by creation time), what
    /// <c>granary profile list</c> shows and <c>/api/v1/monitoring/profiles/{id}</c> takes.
    /// </summary>
    public required string Id { get; init; }

    public required string View { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>When the profile was computed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The offline engine that computed it (<c>duckdb</c>, <c>postgres</c>).</summary>
    public required string Engine { get; init; }

    /// <summary>The rows in the period.</summary>
    public required long Rows { get; init; }

    /// <summary>One profile per feature, in the view's schema order.</summary>
    public required IReadOnlyList<FeatureProfile> Features { get; init; }

    /// <summary>This profile without its features' baselines: what reports and the API show.</summary>
    public ViewProfile WithoutBaselines()
    {
        var features = new FeatureProfile[Features.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = Features[i] with { Baseline = null };
        }

        return this with { Features = features };
    }
}
