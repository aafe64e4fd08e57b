namespace Granary.Contracts.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/profiles/{id}</c>'s and <c>GET /api/v1/monitoring/profiles?view=V</c>'s answers: a stored
/// profile without its baselines, and a view's profiles as summaries. The writer is Granary.Quality's ProfileJson;
/// a test holds the two to the same names.
/// </summary>
internal static class ProfileResponseJson
{
    public static readonly JsonBodySchema QuantilesSchema = new(
        "ProfileQuantiles",
        "Percentiles of the non-null values, interpolated between ranks.",
        [
            new("p1", JsonFieldKind.Number, "The 1st percentile.", required: true),
            new("p5", JsonFieldKind.Number, "The 5th percentile.", required: true),
            new("p25", JsonFieldKind.Number, "The 25th percentile.", required: true),
            new("p50", JsonFieldKind.Number, "The median.", required: true),
            new("p75", JsonFieldKind.Number, "The 75th percentile.", required: true),
            new("p95", JsonFieldKind.Number, "The 95th percentile.", required: true),
            new("p99", JsonFieldKind.Number, "The 99th percentile.", required: true),
        ]);

    public static readonly JsonBodySchema HistogramBinSchema = new(
        "HistogramBin",
        "One equal-width bin: the values in [lower, upper), the last bin holding the maximum too.",
        [
            new("lower", JsonFieldKind.Number, "The bin's lower edge, included.", required: true),
            new("upper", JsonFieldKind.Number, "The bin's upper edge, excluded but in the last bin.", required: true),
            new("count", JsonFieldKind.Integer, "The non-null values in the bin.", required: true),
        ]);

    public static readonly JsonBodySchema CategorySchema = new(
        "CategoryCount",
        "How many rows hold one value of a string or boolean feature.",
        [
            new("value", JsonFieldKind.String, "The value (booleans as true and false).", required: true),
            new("count", JsonFieldKind.Integer, "The rows holding it.", required: true),
        ]);

    public static readonly JsonBodySchema FeatureSchema = new(
        "FeatureProfile",
        "The statistics of one feature; those its type does not have, or that need a value it lacks, are null.",
        [
            new("name", JsonFieldKind.String, "The feature's name in its view.", required: true),
            new("type", JsonFieldKind.String, "The feature's dtype (float64, string...).", required: true),
            new("kind", JsonFieldKind.Enum, "Which statistics it has: numeric, categorical (string, bool) or other.", required: true, allowedValues: ["numeric", "categorical", "other"]),
            new("count", JsonFieldKind.Integer, "The rows in the period, nulls included.", required: true),
            new("null_count", JsonFieldKind.Integer, "The rows whose value is null.", required: true),
            new("distinct", JsonFieldKind.Integer, "The distinct non-null values; an estimate when distinct_approximate.", required: true),
            new("distinct_approximate", JsonFieldKind.Boolean, "Whether distinct is a HyperLogLog estimate (relative standard error about 3%).", required: true),
            new("mean", JsonFieldKind.Number, "The mean of a numeric feature's values."),
            new("stddev", JsonFieldKind.Number, "The sample standard deviation (n - 1); null with fewer than two values."),
            new("min", JsonFieldKind.Number, "The smallest value."),
            new("max", JsonFieldKind.Number, "The largest value."),
            new("quantiles", JsonFieldKind.Object, "p1 to p99 of a numeric feature's values.", body: QuantilesSchema),
            new("histogram", JsonFieldKind.ObjectList, "A numeric feature's 20 equal-width bins from min to max; absent for other features.", body: HistogramBinSchema),
            new("top_k", JsonFieldKind.ObjectList, "A string or boolean feature's 10 most frequent values, most frequent first; absent for other features.", body: CategorySchema),
        ]);

    public static readonly JsonField Id = new("id", JsonFieldKind.String, "The profile's id: 32 hexadecimal digits, ordered by creation time.", required: true);

    public static readonly JsonField View = new("view", JsonFieldKind.String, "The profiled feature view.", required: true);

    public static readonly JsonField Start = new("start", JsonFieldKind.Timestamp, "The period's start, included.", required: true);

    public static readonly JsonField End = new("end", JsonFieldKind.Timestamp, "The period's end, excluded.", required: true);

    public static readonly JsonField CreatedAt = new("created_at", JsonFieldKind.Timestamp, "When the profile was computed.", required: true);

    public static readonly JsonField Engine = new("engine", JsonFieldKind.String, "The offline engine that computed it (duckdb, postgres).", required: true);

    public static readonly JsonField Rows = new("rows", JsonFieldKind.Integer, "The source rows whose event time is in the period.", required: true);

    public static JsonBodySchema Schema { get; } = new(
        "ViewProfile",
        "A stored profile of a feature view's source rows in [start, end).",
        [Id, View, Start, End, CreatedAt, Engine, Rows, new("features", JsonFieldKind.ObjectList, "One profile per feature, in the view's schema order.", required: true, body: FeatureSchema)]);

    public static JsonBodySchema SummarySchema { get; } = new("ProfileSummary", "A stored profile without its features.", [Id, View, Start, End, CreatedAt, Engine, Rows]);

    public static JsonBodySchema ListSchema { get; } = new(
        "ProfileList",
        "A feature view's stored profiles, newest first, as summaries (GET /api/v1/monitoring/profiles/{id} has each whole).",
        [
            new("profiles", JsonFieldKind.ObjectList, "The newest profiles, at most limit.", required: true, body: SummarySchema),
            new("total", JsonFieldKind.Integer, "How many profiles of the view are stored in all.", required: true),
        ]);
}
