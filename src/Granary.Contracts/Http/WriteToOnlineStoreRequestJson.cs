namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/write-to-online-store</c> body, <c>{"feature_view_name", "df"}</c>: its definition
/// (<see cref="Schema"/>) and its reader (<see cref="RowsJson"/>).
/// </summary>
internal static class WriteToOnlineStoreRequestJson
{
    public static readonly JsonField FeatureViewName = new(
        "feature_view_name", JsonFieldKind.String, "The feature view to write.", required: true);

    public static JsonBodySchema Schema { get; } = new(
        "WriteToOnlineStoreRequest", "Rows of one feature view written straight into the online store; all or nothing.", [FeatureViewName, RowsJson.Df]);

    public static WriteToOnlineStoreRequestBody Parse(ReadOnlySpan<byte> body)
    {
        var (name, columns, _) = RowsJson.Parse(body, FeatureViewName, to: null);
        return new WriteToOnlineStoreRequestBody(
            name ?? throw JsonReading.Invalid($"{FeatureViewName.Name}: missing; name the feature view to write to."),
            RowsJson.Required(columns));
    }
}
