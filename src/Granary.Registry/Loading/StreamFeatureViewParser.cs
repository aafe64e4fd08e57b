using System.Globalization;
using Granary.Core.Model;
using Granary.Core.Time;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads one item of <c>stream_feature_views:</c>: entities, a push or stream source, the hop, lateness and ttl, and
/// the aggregations with their windows (<c>1h</c>, <c>lifetime</c> or <c>{window: 7d, hop: 1h}</c>). An optional
/// <c>schema:</c> declares event columns' dtypes; the features themselves are derived from the aggregations when the
/// definitions are validated (<see cref="Validation.StreamViewCompleter"/>).
/// </summary>
/// <remarks>
/// A view with any mistake in its own text is not loaded (and remembered as unloaded), so that references to its
/// features are not reported as unknown on top of the mistake itself.
/// </remarks>
internal sealed class StreamFeatureViewParser(YamlReader yaml, DefinitionFileParser definitions)
{
    // A hop or a lateness of 0 means none, not "no limit" as for a ttl.
    private const string StepGrammar = "a number with a unit s, m, h, d or w, such as 30s, 1m or 1h";

    private static readonly string[] Keys =
        [.. DefinitionFileParser.MetadataKeys, "entities", "source", "event_id_field", "hop", "allowed_lateness", "ttl", "aggregations", "schema", "online", "feature_type", "freshness"];

    private static readonly string[] AggregationKeys = ["column", "function", "windows", "k", "percentiles", "name"];

    public FeatureView? Parse(YamlMappingNode map, string label)
    {
        var mistakes = yaml.Diagnostics.Items.Count;
        yaml.CheckKeys(map, label, Keys);
        var name = yaml.RequiredString(map, "name", label)!;
        var view = new FeatureView
        {
            Name = name,
            Entities = yaml.StringList(map, "entities", label).ConvertAll(e => e.Value),
            Schema = [],
            Ttl = definitions.ParseDuration(map, "ttl", label) ?? TimeSpan.Zero,
            Source = yaml.RequiredString(map, "source", label) ?? "",
            Online = yaml.OptionalBool(map, "online", label) ?? true,
            Category = new GovernedKeysParser(yaml).Category(map, label),
            Freshness = new FreshnessParser(yaml).Parse(map, label),
            Stream = new StreamSettings
            {
                EventIdField = yaml.OptionalString(map, "event_id_field", label),
                Hop = definitions.ParseDuration(map, "hop", label, StepGrammar) ?? TimeSpan.Zero,
                AllowedLateness = definitions.ParseDuration(map, "allowed_lateness", label, StepGrammar) ?? TimeSpan.Zero,
                Aggregations = ParseAggregations(map, label),
                Inputs = definitions.ParseSchema(map, name, label, validation: true),
            },
        };
        return yaml.Diagnostics.Items.Count == mistakes ? view : null;
    }

    private List<StreamAggregation> ParseAggregations(YamlMappingNode map, string label)
    {
        var aggregations = new List<StreamAggregation>();
        if (YamlReader.Get(map, "aggregations") is not { } node)
        {
            yaml.Error(map, $"{DefinitionFileParser.Capitalize(label)} needs 'aggregations', such as [{{column: amount, function: sum, windows: [1h, 1d]}}].");
            return aggregations;
        }

        if (yaml.Sequence(node, $"'aggregations' of {label}") is not { } items)
        {
            return aggregations;
        }

        for (var i = 0; i < items.Children.Count; i++)
        {
            var what = $"aggregations[{i}] of {label}";
            if (yaml.Mapping(items.Children[i], what) is not { } item)
            {
                continue;
            }

            yaml.CheckKeys(item, what, AggregationKeys);
            var function = yaml.RequiredString(item, "function", what);
            var featureName = yaml.OptionalString(item, "name", what);
            if (featureName is not null && !Identifier.IsValid(featureName))
            {
                yaml.Error(YamlReader.Get(item, "name")!, $"Invalid feature name '{featureName}' in {what}: use {Identifier.Rule}.");
            }

            aggregations.Add(new StreamAggregation
            {
                Function = function ?? "",
                Column = yaml.OptionalString(item, "column", what),
                Windows = ParseWindows(item, what),
                K = ParseK(item, what),
                Percentiles = ParsePercentiles(item, what),
                Name = featureName,
            });
        }

        return aggregations;
    }

    private List<StreamWindow> ParseWindows(YamlMappingNode item, string what)
    {
        var windows = new List<StreamWindow>();
        switch (YamlReader.Get(item, "windows"))
        {
            case null:
                yaml.Error(item, $"{DefinitionFileParser.Capitalize(what)} needs 'windows', such as [1h, 1d, lifetime].");
                break;
            case YamlSequenceNode list:
                foreach (var window in list.Children)
                {
                    if (ParseWindow(window, what) is { } parsed)
                    {
                        windows.Add(parsed);
                    }
                }

                break;
            case var single:
                if (ParseWindow(single, what) is { } one)
                {
                    windows.Add(one);
                }

                break;
        }

        return windows;
    }

    // 1h, lifetime, or {window: 7d, hop: 1h}.
    private StreamWindow? ParseWindow(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            yaml.CheckKeys(map, $"a window of {what}", "window", "hop");
            var length = yaml.RequiredString(map, "window", $"a window of {what}") is { } text ? Length(YamlReader.Get(map, "window")!, text, what) : null;
            if (length is { IsLifetime: true })
            {
                yaml.Error(map, $"A lifetime window of {what} has no hop; write it as 'lifetime'.");
                return null;
            }

            var hop = definitions.ParseDuration(map, "hop", $"a window of {what}", StepGrammar);
            return length is { } l ? new StreamWindow(l.Length, hop) : null;
        }

        return yaml.ScalarOrNull(node, $"a window of {what}") is { } value ? Length(node, value, what) : null;
    }

    private StreamWindow? Length(YamlNode node, string text, string what)
    {
        if (text == "lifetime")
        {
            return StreamWindow.Lifetime;
        }

        if (Durations.TryParse(text, out var length) && length > TimeSpan.Zero)
        {
            return new StreamWindow(length);
        }

        yaml.Error(node, $"Invalid window '{text}' in {what}; expected a duration such as 30s, 15m, 1h or 7d, 'lifetime', or {{window: 7d, hop: 1h}}.");
        return null;
    }

    private int ParseK(YamlMappingNode item, string what)
    {
        if (yaml.OptionalString(item, "k", what) is not { } text)
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0)
        {
            return k;
        }

        yaml.Error(YamlReader.Get(item, "k")!, $"'k' of {what} must be a positive whole number, not '{text}'.");
        return 0;
    }

    private List<double> ParsePercentiles(YamlMappingNode item, string what)
    {
        var percentiles = new List<double>();
        foreach (var (text, node) in yaml.StringList(item, "percentiles", what))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p))
            {
                percentiles.Add(p);
            }
            else
            {
                yaml.Error(node, $"Invalid percentile '{text}' in {what}; expected a number between 0 and 100.");
            }
        }

        return percentiles;
    }
}
