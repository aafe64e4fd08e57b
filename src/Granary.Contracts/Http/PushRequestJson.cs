namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/push</c> body, <c>{"push_source_name", "df", "to", "allow_partial"}</c>: its definition (<see cref="Schema"/>) and its
/// reader (<see cref="RowsJson"/>).
/// </summary>
internal static class PushRequestJson
{
    public static readonly JsonField PushSourceName = new(
        "push_source_name", JsonFieldKind.String, "The push source to push to.", required: true);

    public static readonly JsonField To = new(
        "to", JsonFieldKind.Enum, "Where the rows go: the online store (the default), the offline store, or both.", allowedValues: ["online", "offline", "online_and_offline"]);

    public static readonly JsonField AllowPartial = new(
        "allow_partial", JsonFieldKind.Boolean,
        "Write the rows that pass the views' error validation rules and drop the others (counted in the answer), instead of refusing the push whole with 422. False by default.");

    public static JsonBodySchema Schema { get; } = new(
        "PushRequest", "Rows pushed to a push source; all or nothing unless allow_partial (Feast's push request).", [PushSourceName, RowsJson.Df, To, AllowPartial]);

    public static PushRequestBody Parse(ReadOnlySpan<byte> body)
    {
        var (name, columns, to, allowPartial) = RowsJson.Parse(body, PushSourceName, To, AllowPartial);
        return new PushRequestBody(
            name ?? throw JsonReading.Invalid($"{PushSourceName.Name}: missing; name the push source to write to."),
            RowsJson.Required(columns),
            to switch
            {
                null or "online" => PushTo.Online,
                "offline" => PushTo.Offline,
                "online_and_offline" => PushTo.OnlineAndOffline,
                _ => throw JsonReading.Invalid($"{To.Name}: '{to}' is not one of {string.Join(", ", To.AllowedValues)}."),
            },
            allowPartial);
    }
}
