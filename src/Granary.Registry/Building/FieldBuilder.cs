using System.Buffers;
using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>
/// Configures one feature of a <see cref="FeatureViewBuilder"/> with the keys a YAML schema field takes: description,
/// tags and the governed keys (owner, <c>feature_type</c>, transformation, validation rules, drift thresholds, upstream features).
/// </summary>
/// <example>
/// <code>
/// v.Field("ctr_7d", FeatureType.Float64, f => f.Owner("ads-team").Category("derived")
///     .Transformation("sql", "clicks / impressions").Range(min: 0, max: 1).NotNull(ValidationSeverity.Warn))
/// </code>
/// </example>
public sealed class FieldBuilder
{
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly List<FieldValidationRule> _rules = [];
    private readonly List<string> _upstream = [];
    private string _description = "";
    private string _owner = "";
    private string? _category;
    private FieldTransformation? _transformation;
    private DriftThresholds? _drift;

    public FieldBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    public FieldBuilder Tag(string key, string value)
    {
        _tags[key] = value;
        return this;
    }

    public FieldBuilder Owner(string owner)
    {
        _owner = owner;
        return this;
    }

    /// <summary>The governed category, <c>feature_type</c> in YAML: one of <see cref="FeatureCategories.All"/>.</summary>
    public FieldBuilder Category(string category)
    {
        _category = category;
        return this;
    }

    /// <summary>How the feature is computed; <paramref name="parameters"/> are JSON values (see <see cref="JsonValue(string)"/> and its overloads).</summary>
    public FieldBuilder Transformation(string transformationType, string code, IReadOnlyDictionary<string, JsonElement>? parameters = null)
    {
        _transformation = new FieldTransformation(transformationType, code)
        {
            Parameters = parameters is null ? new SortedDictionary<string, JsonElement>(StringComparer.Ordinal) : new SortedDictionary<string, JsonElement>(parameters.ToDictionary(), StringComparer.Ordinal),
        };
        return this;
    }

    /// <summary>Adds a validation rule as YAML's <c>validation:</c> would declare it (checked when the view is built).</summary>
    public FieldBuilder Validate(FieldValidationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(rule);
        return this;
    }

    /// <summary><c>{rule: range, min, max}</c>; leave either bound null for none.</summary>
    public FieldBuilder Range(double? min = null, double? max = null, ValidationSeverity severity = ValidationSeverity.Error)
    {
        var parameters = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (min is { } lo)
        {
            parameters["min"] = JsonValue(lo);
        }

        if (max is { } hi)
        {
            parameters["max"] = JsonValue(hi);
        }

        return Validate(new FieldValidationRule("range", severity) { Parameters = parameters });
    }

    public FieldBuilder NotNull(ValidationSeverity severity = ValidationSeverity.Error) => Validate(new FieldValidationRule("not_null", severity));

    public FieldBuilder Unique(ValidationSeverity severity = ValidationSeverity.Error) => Validate(new FieldValidationRule("unique", severity));

    /// <summary><c>{rule: enum, values: [...]}</c>.</summary>
    public FieldBuilder OneOf(IEnumerable<string> values, ValidationSeverity severity = ValidationSeverity.Error) =>
        Validate(new FieldValidationRule("enum", severity) { Parameters = One("values", JsonValue([.. values])) });

    /// <summary><c>{rule: regex, pattern}</c>.</summary>
    public FieldBuilder Matches(string pattern, ValidationSeverity severity = ValidationSeverity.Error) =>
        Validate(new FieldValidationRule("regex", severity) { Parameters = One("pattern", JsonValue(pattern)) });

    /// <summary><c>{rule: max_null_fraction, value}</c>.</summary>
    public FieldBuilder MaxNullFraction(double fraction, ValidationSeverity severity = ValidationSeverity.Error) =>
        Validate(new FieldValidationRule("max_null_fraction", severity) { Parameters = One("value", JsonValue(fraction)) });

    /// <summary><c>{rule: expression, expr}</c>.</summary>
    public FieldBuilder Expression(string expression, ValidationSeverity severity = ValidationSeverity.Error) =>
        Validate(new FieldValidationRule("expression", severity) { Parameters = One("expr", JsonValue(expression)) });

    /// <summary>
    /// The drift thresholds, as YAML's <c>drift: {p_value: [low, medium, high], shift: [low, medium, high]}</c> sets them;
    /// a measure left null keeps its default levels (<see cref="DriftThresholds.Default"/>).
    /// </summary>
    /// <exception cref="ArgumentException">p-values not decreasing within (0, 1), or shifts not increasing above 0.</exception>
    public FieldBuilder Drift(DriftLevels? pValues = null, DriftLevels? shifts = null)
    {
        var p = pValues ?? DriftThresholds.Default.PValues;
        var s = shifts ?? DriftThresholds.Default.Shifts;
        if (!(p.Low < 1 && p.Low > p.Medium && p.Medium > p.High && p.High > 0))
        {
            throw new ArgumentException($"Drift p-value thresholds must decrease from low to high, each between 0 and 1 (such as 0.05, 0.01, 0.001); got {p.Low}, {p.Medium}, {p.High}.", nameof(pValues));
        }

        if (!(s.Low > 0 && s.Low < s.Medium && s.Medium < s.High && double.IsFinite(s.High)))
        {
            throw new ArgumentException($"Drift shift thresholds must increase from low to high, each above 0 (such as 0.1, 0.2, 0.5); got {s.Low}, {s.Medium}, {s.High}.", nameof(shifts));
        }

        _drift = new DriftThresholds(p, s);
        return this;
    }

    public FieldBuilder UpstreamFeatures(params string[] features)
    {
        _upstream.AddRange(features);
        return this;
    }

    public static JsonElement JsonValue(string value) => Json(w => w.WriteStringValue(value));

    public static JsonElement JsonValue(double value) => Json(w => w.WriteNumberValue(value));

    public static JsonElement JsonValue(long value) => Json(w => w.WriteNumberValue(value));

    public static JsonElement JsonValue(bool value) => Json(w => w.WriteBooleanValue(value));

    public static JsonElement JsonValue(IReadOnlyList<string> values) => Json(w =>
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    });

    internal Field Build(string name, FeatureType type) => new(name, type)
    {
        Description = _description,
        Tags = new Dictionary<string, string>(_tags, StringComparer.Ordinal),
        Owner = _owner,
        Category = _category,
        Transformation = _transformation,
        Validation = [.. _rules],
        UpstreamFeatures = [.. _upstream],
        Drift = _drift,
    };

    private static SortedDictionary<string, JsonElement> One(string key, JsonElement value) => new(StringComparer.Ordinal) { [key] = value };

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
