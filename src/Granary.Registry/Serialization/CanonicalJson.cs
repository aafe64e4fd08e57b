using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Time;

namespace Granary.Registry.Serialization;

/// <summary>
/// The canonical form of registry objects: compact JSON with a fixed property order, every field written
/// (defaults included), maps sorted by key, durations and types in their canonical spelling. Two definitions are
/// the same exactly when their canonical forms are byte-equal, which is what plan compares and what the registry
/// hashes. YAML and C# definitions of the same object produce the same bytes. A stream feature view adds a
/// <c>stream</c> object (<see cref="StreamSettingsJson"/>); views without one are written as they always were.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>The canonical JSON of one object.</summary>
    public static string Serialize(Definition definition)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, definition);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The canonical JSON of a whole project: each kind sorted by name.</summary>
    public static string Serialize(string project, DefinitionSet definitions)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("project", project);
            WriteList(writer, "entities", definitions.Entities);
            WriteList(writer, "sources", definitions.Sources);
            WriteList(writer, "feature_views", definitions.FeatureViews);
            WriteList(writer, "feature_services", definitions.FeatureServices);

            // Only a project with alerts lists them, so that every project recorded before alerts keeps its bytes.
            if (definitions.Alerts.Count > 0)
            {
                WriteList(writer, "alerts", definitions.Alerts);
            }

            // Only when there are any, so that a project without them keeps its bytes (and hash).
            if (definitions.OnDemandFeatureViews.Count > 0)
            {
                WriteList(writer, "on_demand_feature_views", definitions.OnDemandFeatureViews);
            }

            // Likewise experiments: a project without them keeps the bytes it had before they existed.
            if (definitions.Experiments.Count > 0)
            {
                WriteList(writer, "experiments", definitions.Experiments);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The canonical JSON of one schema field, exactly as its view's <c>schema</c> holds it (a feature's catalog snapshot).</summary>
    public static string Serialize(Field field)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteField(writer, field);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="canonicalJson"/>.</summary>
    public static string Hash(string canonicalJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    private static void WriteList<T>(Utf8JsonWriter writer, string property, IReadOnlyList<T> items)
        where T : Definition
    {
        var sorted = new List<T>(items);
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.WriteStartArray(property);
        foreach (var item in sorted)
        {
            Write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter writer, Definition definition)
    {
        writer.WriteStartObject();
        writer.WriteString("name", definition.Name);
        switch (definition)
        {
            case Entity entity:
                WriteMetadata(writer, entity);
                WriteStrings(writer, "join_keys", entity.JoinKeys);
                writer.WriteString("value_type", entity.ValueType.ToString());
                break;
            case FileSource file:
                writer.WriteString("type", file.SourceType);
                WriteMetadata(writer, file);
                writer.WriteString("path", file.Path);
                writer.WriteString("format", file.Format == FileFormat.Csv ? "csv" : "parquet");
                WriteBatch(writer, file);
                break;
            case PostgresSource postgres:
                writer.WriteString("type", postgres.SourceType);
                WriteMetadata(writer, postgres);
                writer.WriteString("table", postgres.Table);
                writer.WriteString("query", postgres.Query);
                WriteBatch(writer, postgres);
                break;
            case PushSource push:
                writer.WriteString("type", push.SourceType);
                WriteMetadata(writer, push);
                writer.WriteString("batch_source", push.BatchSourceName);
                break;
            case RedisStreamSource redis:
                writer.WriteString("type", redis.SourceType);
                WriteMetadata(writer, redis);
                writer.WriteString("connection", redis.Connection);
                writer.WriteString("stream", redis.Stream);
                writer.WriteString("group", redis.Group);
                WriteStream(writer, redis);
                break;
            case NatsSource nats:
                writer.WriteString("type", nats.SourceType);
                WriteMetadata(writer, nats);
                writer.WriteString("url", nats.Url);
                writer.WriteString("stream", nats.Stream);
                writer.WriteString("subject", nats.Subject);
                writer.WriteString("durable", nats.Durable);
                WriteStream(writer, nats);
                break;
            case FeatureView view:
                WriteMetadata(writer, view);

                // The governed keys are written only when set, so that every view defined before them keeps its spec and hash.
                if (view.Category is { } category)
                {
                    writer.WriteString("feature_type", category);
                }

                WriteStrings(writer, "entities", view.Entities);
                writer.WriteStartArray("schema");
                foreach (var field in view.Schema)
                {
                    WriteField(writer, field);
                }

                writer.WriteEndArray();
                writer.WriteString("ttl", Durations.Format(view.Ttl));
                writer.WriteString("source", view.Source);
                writer.WriteBoolean("online", view.Online);

                // Written only when declared, so that every view without it keeps its spec and hash.
                if (view.Freshness is { } freshness)
                {
                    writer.WriteStartObject("freshness");
                    writer.WriteString("expected", freshness.Expected);
                    writer.WriteString("fresh", Durations.Format(freshness.Fresh));
                    writer.WriteString("stale", Durations.Format(freshness.Stale));
                    writer.WriteEndObject();
                }

                // Only derived views carry it, so that the spec (and hash) of every other view stays what it was.
                if (view.Derived is { } derived)
                {
                    writer.WriteStartObject("derived");
                    writer.WriteString("query", derived.Query);
                    if (derived.QueryPostgres is { } postgres)
                    {
                        writer.WriteString("query_postgres", postgres);
                    }

                    writer.WriteEndObject();
                }

                // Only stream views carry it, so that the spec (and hash) of every other view stays what it was.
                if (view.Stream is { } stream)
                {
                    StreamSettingsJson.Write(writer, stream);
                }

                break;
            case FeatureService service:
                WriteMetadata(writer, service);
                writer.WriteStartArray("features");
                foreach (var reference in service.Features)
                {
                    writer.WriteStringValue(reference.ToString());
                }

                writer.WriteEndArray();
                break;
            case Alert alert:
                WriteMetadata(writer, alert);
                WriteAlert(writer, alert);
                break;
            case OnDemandFeatureView onDemand:
                WriteMetadata(writer, onDemand);
                OnDemandFeatureViewJson.Write(writer, onDemand);
                break;
            case Experiment experiment:
                WriteMetadata(writer, experiment);
                ExperimentJson.Write(writer, experiment);
                break;
            default:
                throw new ArgumentException($"Unknown definition type {definition.GetType().Name}.", nameof(definition));
        }

        writer.WriteEndObject();
    }

    // The webhook exactly as written (${VAR} unexpanded): what is stored is never the secret a variable holds.
    private static void WriteAlert(Utf8JsonWriter writer, Alert alert)
    {
        WriteStrings(writer, "views", alert.Views);
        writer.WriteStartObject("when");
        var condition = alert.Condition;
        switch (condition.Kind)
        {
            case AlertConditionKind.DriftSeverity:
                writer.WriteString(condition.Key, condition.Severity);
                break;
            case AlertConditionKind.ConsistencyBelow:
                writer.WriteNumber(condition.Key, condition.Threshold!.Value);
                break;
            default:
                writer.WriteBoolean(condition.Key, true);
                break;
        }

        writer.WriteEndObject();
        writer.WriteString("webhook", alert.Webhook);
        writer.WriteString("cooldown", Durations.Format(alert.Cooldown));
    }

    /// <summary>A field's <c>validation</c> rules, when it has any (a schema field's, or a stream view's event column's).</summary>
    internal static void WriteValidation(Utf8JsonWriter writer, Field field)
    {
        if (field.Validation.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("validation");
        foreach (var rule in field.Validation)
        {
            // rule and severity first, then the rule's own keys by name: {"rule":"range","severity":"error","max":1,"min":0}.
            writer.WriteStartObject();
            writer.WriteString("rule", rule.Rule);
            writer.WriteString("severity", rule.Severity.Key());
            WriteJsonProperties(writer, rule.Parameters);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteField(Utf8JsonWriter writer, Field field)
    {
        writer.WriteStartObject();
        writer.WriteString("name", field.Name);
        writer.WriteString("dtype", field.Type.ToString());
        writer.WriteString("description", field.Description);
        WriteMap(writer, "tags", field.Tags);
        WriteGovernedKeys(writer, field);
        writer.WriteEndObject();
    }

    /// <summary>The governed keys of a schema field, each only when set (see <see cref="Field.Category"/> and its neighbours).</summary>
    private static void WriteGovernedKeys(Utf8JsonWriter writer, Field field)
    {
        if (field.Owner.Length > 0)
        {
            writer.WriteString("owner", field.Owner);
        }

        if (field.Category is { } category)
        {
            writer.WriteString("feature_type", category);
        }

        if (field.Transformation is { } transformation)
        {
            writer.WriteStartObject("transformation");
            writer.WriteString("transformation_type", transformation.TransformationType);
            writer.WriteString("code", transformation.Code);
            WriteJsonMap(writer, "parameters", transformation.Parameters);
            writer.WriteEndObject();
        }

        WriteValidation(writer, field);

        if (field.UpstreamFeatures.Count > 0)
        {
            WriteStrings(writer, "upstream_features", field.UpstreamFeatures);
        }

        if (field.Drift is { } drift)
        {
            writer.WriteStartObject("drift");
            WriteLevels(writer, "p_value", drift.PValues);
            WriteLevels(writer, "shift", drift.Shifts);
            writer.WriteEndObject();
        }
    }

    private static void WriteLevels(Utf8JsonWriter writer, string property, DriftLevels levels)
    {
        writer.WriteStartArray(property);
        writer.WriteNumberValue(levels.Low);
        writer.WriteNumberValue(levels.Medium);
        writer.WriteNumberValue(levels.High);
        writer.WriteEndArray();
    }

    private static void WriteJsonMap(Utf8JsonWriter writer, string property, IReadOnlyDictionary<string, JsonElement> map)
    {
        writer.WriteStartObject(property);
        WriteJsonProperties(writer, map);
        writer.WriteEndObject();
    }

    private static void WriteJsonProperties(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> map)
    {
        var keys = new List<string>(map.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            writer.WritePropertyName(key);
            WriteCanonical(writer, map[key]);
        }
    }

    // A JSON value with its objects' properties sorted, so two spellings of the same parameters give the same bytes.
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = new List<JsonProperty>(value.EnumerateObject());
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static void WriteMetadata(Utf8JsonWriter writer, Definition definition)
    {
        writer.WriteString("description", definition.Description);
        writer.WriteString("owner", definition.Owner);
        WriteMap(writer, "tags", definition.Tags);
    }

    private static void WriteBatch(Utf8JsonWriter writer, BatchSource source)
    {
        writer.WriteString("timestamp_field", source.TimestampField);
        writer.WriteString("created_timestamp_column", source.CreatedTimestampColumn);
        WriteMap(writer, "field_mapping", source.FieldMapping);
    }

    private static void WriteStream(Utf8JsonWriter writer, StreamSource source)
    {
        writer.WriteString("batch_source", source.BatchSourceName);
        writer.WriteString("timestamp_field", source.TimestampField);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(property);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, string property, IReadOnlyDictionary<string, string> map)
    {
        var keys = new List<string>(map.Keys);
        keys.Sort(StringComparer.Ordinal);
        writer.WriteStartObject(property);
        foreach (var key in keys)
        {
            writer.WriteString(key, map[key]);
        }

        writer.WriteEndObject();
    }
}
