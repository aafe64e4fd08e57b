using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Registry.Storage;

/// <summary>
/// The JSON kept in a saved dataset row's <c>spec</c> column: the whole <see cref="SavedDataset"/>, snake_case, with
/// timestamps as ISO-8601 UTC text. It goes through its own stored shape (<see cref="DatasetSpec"/>) rather than
/// the public record, so renaming a property of the record cannot silently change what registries hold.
/// </summary>
internal static class DatasetJson
{
    public static string Serialize(SavedDataset dataset) =>
        JsonSerializer.Serialize(
            new DatasetSpec(
                dataset.Project,
                dataset.Name,
                [.. dataset.Features],
                dataset.FeatureService,
                dataset.Entities,
                dataset.EntitiesKind,
                dataset.FullFeatureNames,
                dataset.FilterByCreatedTimestamp,
                dataset.StartTime,
                dataset.EndTime,
                dataset.RowCount,
                dataset.Output,
                dataset.RegistryVersion,
                dataset.CreatedAt,
                dataset.CreatedBy,
                dataset.FeatureVersions.Count == 0 ? null : new SortedDictionary<string, string>(dataset.FeatureVersions.ToDictionary(), StringComparer.Ordinal)),
            DatasetJsonContext.Default.DatasetSpec);

    /// <summary>Reads a row back; <paramref name="project"/> and <paramref name="name"/> are the row's key, which wins.</summary>
    public static SavedDataset Deserialize(string json, string project, string name)
    {
        DatasetSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, DatasetJsonContext.Default.DatasetSpec);
        }
        catch (JsonException e)
        {
            throw Unreadable(project, name, e.Message, e);
        }

        if (spec is null)
        {
            throw Unreadable(project, name, "the spec is null.", null);
        }

        return new SavedDataset(
            project,
            name,
            spec.Features,
            spec.FeatureService,
            spec.Entities,
            spec.EntitiesKind,
            spec.FullFeatureNames,
            spec.FilterByCreatedTimestamp,
            spec.StartTime,
            spec.EndTime,
            spec.RowCount,
            spec.Output,
            spec.RegistryVersion,
            spec.CreatedAt,
            spec.CreatedBy)
        {
            // Absent in records saved before views had versions.
            FeatureVersions = spec.FeatureVersions is { Count: > 0 } versions ? versions.ToFrozenDictionary(StringComparer.Ordinal) : FrozenDictionary<string, string>.Empty,
        };
    }

    private static GranaryException Unreadable(string project, string name, string reason, Exception? inner) =>
        new(
            ErrorCodes.RegistryUnavailable,
            $"Saved dataset '{name}' of project '{project}' cannot be read: {reason} The registry may have been written by a newer Granary or edited by hand.",
            inner);
}

/// <summary>A saved dataset as stored in the <c>spec</c> column.</summary>
internal sealed record DatasetSpec(
    string Project,
    string Name,
    string[] Features,
    string? FeatureService,
    string Entities,
    string EntitiesKind,
    bool FullFeatureNames,
    bool FilterByCreatedTimestamp,
    [property: JsonConverter(typeof(UtcTimestampJsonConverter))] DateTimeOffset? StartTime,
    [property: JsonConverter(typeof(UtcTimestampJsonConverter))] DateTimeOffset? EndTime,
    long RowCount,
    string Output,
    long RegistryVersion,
    [property: JsonConverter(typeof(UtcTimestampJsonConverter))] DateTimeOffset CreatedAt,
    string CreatedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, string>? FeatureVersions = null);

/// <summary>
/// Writes timestamps in Granary's one form, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>: UTC with exactly six fractional digits,
/// the same text the SQLite store keeps, so a value reads the same in the JSON as in the columns beside it.
/// </summary>
internal sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}

/// <summary>Source-generated (reflection-free) serialization of <see cref="DatasetSpec"/>.</summary>
/// <remarks>
/// Missing or null required members fail the read instead of producing a record with nulls the type says cannot be
/// there; members a newer Granary added are ignored.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DatasetSpec))]
internal sealed partial class DatasetJsonContext : JsonSerializerContext;
