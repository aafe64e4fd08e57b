using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;

namespace Granary.Registry.Serialization;

/// <summary>Reads objects back from their <see cref="CanonicalJson"/> form, as the registry stores them.</summary>
internal static class CanonicalJsonReader
{
    /// <summary>Reads one object of <paramref name="kind"/>.</summary>
    public static Definition Read(ObjectKind kind, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            Definition definition = kind switch
            {
                ObjectKind.Entity => ReadEntity(root),
                ObjectKind.DataSource => ReadSource(root),
                ObjectKind.FeatureView => ReadView(root),
                ObjectKind.FeatureService => ReadService(root),
                ObjectKind.Alert => ReadAlert(root),
                ObjectKind.OnDemandFeatureView => OnDemandFeatureViewJson.Read(root),
                ObjectKind.Experiment => ExperimentJson.Read(root),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            return definition with { Description = Str(root, "description"), Owner = Str(root, "owner"), Tags = Map(root, "tags") };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GranaryException(ErrorCodes.RegistryUnavailable, $"The registry holds a {kind.DisplayName()} that cannot be read ({e.Message}); was it written by a newer Granary?", e);
        }
    }

    private static Entity ReadEntity(JsonElement e) => new()
    {
        Name = Str(e, "name"),
        JoinKeys = Strings(e, "join_keys"),
        ValueType = FeatureType.Parse(Str(e, "value_type")),
    };

    private static DataSource ReadSource(JsonElement e)
    {
        var type = Str(e, "type");
        return type switch
        {
            "file" => new FileSource
            {
                Name = Str(e, "name"),
                Path = Str(e, "path"),
                Format = Str(e, "format") == "csv" ? FileFormat.Csv : FileFormat.Parquet,
                TimestampField = Str(e, "timestamp_field"),
                CreatedTimestampColumn = NullableStr(e, "created_timestamp_column"),
                FieldMapping = Map(e, "field_mapping"),
            },
            "postgres" => new PostgresSource
            {
                Name = Str(e, "name"),
                Table = NullableStr(e, "table"),
                Query = NullableStr(e, "query"),
                TimestampField = Str(e, "timestamp_field"),
                CreatedTimestampColumn = NullableStr(e, "created_timestamp_column"),
                FieldMapping = Map(e, "field_mapping"),
            },
            "push" => new PushSource
            {
                Name = Str(e, "name"),
                BatchSourceName = Str(e, "batch_source"),
            },
            "redis_stream" => new RedisStreamSource
            {
                Name = Str(e, "name"),
                Connection = Str(e, "connection"),
                Stream = Str(e, "stream"),
                Group = Str(e, "group"),
                BatchSourceName = Str(e, "batch_source"),
                TimestampField = NullableStr(e, "timestamp_field"),
            },
            "nats" => new NatsSource
            {
                Name = Str(e, "name"),
                Url = Str(e, "url"),
                Stream = Str(e, "stream"),
                Subject = Str(e, "subject"),
                Durable = Str(e, "durable"),
                BatchSourceName = Str(e, "batch_source"),
                TimestampField = NullableStr(e, "timestamp_field"),
            },
            _ => throw new FormatException($"unknown source type '{type}'"),
        };
    }

    private static FeatureView ReadView(JsonElement e)
    {
        var schema = new List<Field>();
        foreach (var f in e.GetProperty("schema").EnumerateArray())
        {
            schema.Add(new Field(Str(f, "name"), FeatureType.Parse(Str(f, "dtype")))
            {
                Description = Str(f, "description"),
                Tags = Map(f, "tags"),
                Owner = NullableStr(f, "owner") ?? "",
                Category = NullableStr(f, "feature_type"),
                Transformation = ReadTransformation(f),
                Validation = ReadValidation(f),
                UpstreamFeatures = f.TryGetProperty("upstream_features", out _) ? Strings(f, "upstream_features") : [],
                Drift = ReadDrift(f),
            });
        }

        return new FeatureView
        {
            Name = Str(e, "name"),
            Entities = Strings(e, "entities"),
            Schema = schema,
            Ttl = Durations.Parse(Str(e, "ttl")),
            Source = Str(e, "source"),
            Online = e.GetProperty("online").GetBoolean(),
            Stream = StreamSettingsJson.Read(e),
            Category = NullableStr(e, "feature_type"),
            Freshness = ReadFreshness(e),
            Derived = ReadDerived(e),
        };
    }

    private static DerivedQuery? ReadDerived(JsonElement view) =>
        view.TryGetProperty("derived", out var d) && d.ValueKind == JsonValueKind.Object
            ? new DerivedQuery { Query = Str(d, "query"), QueryPostgres = NullableStr(d, "query_postgres") }
            : null;

    private static FreshnessExpectation? ReadFreshness(JsonElement view) =>
        view.TryGetProperty("freshness", out var f) && f.ValueKind == JsonValueKind.Object
            ? new FreshnessExpectation(Str(f, "expected"), Durations.Parse(Str(f, "fresh")), Durations.Parse(Str(f, "stale")))
            : null;

    private static DriftThresholds? ReadDrift(JsonElement field)
    {
        if (!field.TryGetProperty("drift", out var d) || d.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new DriftThresholds(ReadLevels(d.GetProperty("p_value")), ReadLevels(d.GetProperty("shift")));

        static DriftLevels ReadLevels(JsonElement levels) =>
            new(levels[0].GetDouble(), levels[1].GetDouble(), levels[2].GetDouble());
    }

    private static FieldTransformation? ReadTransformation(JsonElement field)
    {
        if (!field.TryGetProperty("transformation", out var t) || t.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new FieldTransformation(Str(t, "transformation_type"), Str(t, "code")) { Parameters = JsonMap(t.GetProperty("parameters"), skip: null) };
    }

    internal static List<FieldValidationRule> ReadValidation(JsonElement field)
    {
        var rules = new List<FieldValidationRule>();
        if (!field.TryGetProperty("validation", out var list))
        {
            return rules;
        }

        foreach (var r in list.EnumerateArray())
        {
            var severity = ValidationRuleKinds.TryParseSeverity(Str(r, "severity"), out var s) ? s : ValidationSeverity.Error;
            rules.Add(new FieldValidationRule(Str(r, "rule"), severity) { Parameters = JsonMap(r, skip: ["rule", "severity"]) });
        }

        return rules;
    }

    private static SortedDictionary<string, JsonElement> JsonMap(JsonElement e, string[]? skip)
    {
        var map = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (skip is null || Array.IndexOf(skip, p.Name) < 0)
            {
                map[p.Name] = p.Value.Clone();
            }
        }

        return map;
    }

    private static FeatureService ReadService(JsonElement e)
    {
        var features = new List<FeatureReference>();
        foreach (var f in e.GetProperty("features").EnumerateArray())
        {
            features.Add(FeatureReference.Parse(f.GetString()!));
        }

        return new FeatureService
        {
            Name = Str(e, "name"),
            Features = features,
        };
    }

    private static Alert ReadAlert(JsonElement e)
    {
        var when = e.GetProperty("when").EnumerateObject().Single();
        var kind = Array.IndexOf(AlertCondition.Keys, when.Name);
        var condition = kind switch
        {
            < 0 => throw new FormatException($"unknown alert condition '{when.Name}'"),
            (int)AlertConditionKind.DriftSeverity => new AlertCondition(AlertConditionKind.DriftSeverity, Severity: when.Value.GetString()),
            (int)AlertConditionKind.ConsistencyBelow => new AlertCondition(AlertConditionKind.ConsistencyBelow, Threshold: when.Value.GetDouble()),
            _ => new AlertCondition((AlertConditionKind)kind),
        };
        return new Alert
        {
            Name = Str(e, "name"),
            Views = Strings(e, "views"),
            Condition = condition,
            Webhook = Str(e, "webhook"),
            Cooldown = Durations.Parse(Str(e, "cooldown")),
        };
    }

    private static string Str(JsonElement e, string property) => e.GetProperty(property).GetString() ?? "";

    private static string? NullableStr(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static List<string> Strings(JsonElement e, string property)
    {
        var list = new List<string>();
        foreach (var item in e.GetProperty(property).EnumerateArray())
        {
            list.Add(item.GetString() ?? "");
        }

        return list;
    }

    private static Dictionary<string, string> Map(JsonElement e, string property)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(property, out var p))
        {
            foreach (var kv in p.EnumerateObject())
            {
                map[kv.Name] = kv.Value.GetString() ?? "";
            }
        }

        return map;
    }
}
