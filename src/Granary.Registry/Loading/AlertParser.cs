using System.Globalization;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Registry.Alerts;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads the <c>alerts:</c> list: <c>{name, views, when: {one condition}, webhook, cooldown, description, owner, tags}</c>.
/// Every mistake is reported at its line; an alert with one is left out (and recorded as unloaded). The views an
/// alert names are checked with the other references, once every file is read (<c>DefinitionValidator</c>).
/// </summary>
/// <param name="yaml">The file's reader.</param>
/// <param name="locations">Where each alert is recorded.</param>
/// <param name="hasDefaultWebhook">Whether the configuration has a <c>monitoring.default_webhook</c>, which makes an alert's own optional.</param>
internal sealed class AlertParser(YamlReader yaml, DefinitionLocations locations, bool hasDefaultWebhook = false)
{
    private static readonly string[] Keys = ["name", "description", "owner", "tags", "views", "when", "webhook", "cooldown"];

    public void Parse(YamlMappingNode root, List<Alert> into)
    {
        if (YamlReader.Get(root, "alerts") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (yaml.Sequence(node, "'alerts'") is not { } items)
        {
            return;
        }

        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, "each item of 'alerts'") is { } map && ParseAlert(map) is { } alert)
            {
                into.Add(alert);
            }
        }
    }

    private Alert? ParseAlert(YamlMappingNode map)
    {
        if (yaml.RequiredString(map, "name", "an alert") is not { } name)
        {
            return null;
        }

        var label = $"alert '{name}'";
        var mistakes = yaml.Diagnostics.Items.Count;
        if (!Identifier.IsValid(name))
        {
            yaml.Error(YamlReader.Get(map, "name")!, $"Invalid name for {label}: use {Identifier.Rule}.");
        }

        yaml.CheckKeys(map, label, Keys);
        var views = Views(map, label);
        var condition = Condition(map, label);
        var webhook = Webhook(map, label);
        var cooldown = Cooldown(map, label);
        var description = yaml.OptionalString(map, "description", label) ?? "";
        var owner = yaml.OptionalString(map, "owner", label) ?? "";
        var tags = yaml.StringMap(map, "tags", label);
        if (yaml.Diagnostics.Items.Count > mistakes || condition is null || webhook is null)
        {
            locations.Unloaded.Add(ObjectKind.Alert, name);
            return null;
        }

        var alert = new Alert
        {
            Name = name,
            Description = description,
            Owner = owner,
            Tags = tags,
            Views = [.. views.Select(v => v.View)],
            Condition = condition,
            Webhook = webhook,
            Cooldown = cooldown,
        };
        locations.Record(alert, "", yaml.At(map));
        for (var i = 0; i < views.Count; i++)
        {
            locations.Record(alert, $"views[{i}]", yaml.At(views[i].Node));
        }

        return alert;
    }

    private List<(string View, YamlNode Node)> Views(YamlMappingNode map, string label)
    {
        var views = new List<(string, YamlNode)>();
        if (YamlReader.Get(map, "views") is YamlScalarNode { Value: "*" })
        {
            return views;
        }

        foreach (var (view, node) in yaml.StringList(map, "views", label))
        {
            if (view == "*")
            {
                yaml.Error(node, $"'*' in the views of {label} means every view; write it alone (views: '*') or leave 'views' out.");
                continue;
            }

            views.Add((view, node));
        }

        return views;
    }

    private AlertCondition? Condition(YamlMappingNode map, string label)
    {
        var expected = "drift_severity: low|medium|high, stale: true, very_stale: true, validation_failed: true or consistency_below: 0..1";
        if (YamlReader.Get(map, "when") is not { } node)
        {
            yaml.Error(map, $"{Capitalize(label)} needs 'when' with one condition: {expected}.");
            return null;
        }

        if (yaml.Mapping(node, $"'when' of {label}") is not { } when)
        {
            return null;
        }

        var what = $"'when' of {label}";
        yaml.CheckKeys(when, what, AlertCondition.Keys);
        if (when.Children.Count != 1)
        {
            yaml.Error(when, when.Children.Count == 0
                ? $"{Capitalize(what)} is empty; give one condition: {expected}."
                : $"{Capitalize(what)} has {when.Children.Count} conditions; an alert watches one, so write one alert per condition.");
            return null;
        }

        var (keyNode, valueNode) = when.Children.First();
        var key = ((YamlScalarNode)keyNode).Value ?? "";
        var kind = Array.IndexOf(AlertCondition.Keys, key);
        if (kind < 0 || yaml.ScalarOrNull(valueNode, $"'{key}' of {label}") is not { } value)
        {
            return null;
        }

        switch ((AlertConditionKind)kind)
        {
            case AlertConditionKind.DriftSeverity:
                if (Array.IndexOf(AlertCondition.Severities, value) < 0)
                {
                    yaml.Error(valueNode, $"Invalid 'drift_severity' of {label}: '{value}'; expected low, medium or high.");
                    return null;
                }

                return new AlertCondition(AlertConditionKind.DriftSeverity, Severity: value);
            case AlertConditionKind.ConsistencyBelow:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is <= 0 or > 1)
                {
                    yaml.Error(valueNode, $"Invalid 'consistency_below' of {label}: '{value}'; expected a share above 0 and at most 1, such as 0.99.");
                    return null;
                }

                return new AlertCondition(AlertConditionKind.ConsistencyBelow, Threshold: share);
            default:
                if (value != "true")
                {
                    yaml.Error(valueNode, $"Invalid '{key}' of {label}: '{value}'; the only value is true (leave the alert out to watch nothing).");
                    return null;
                }

                return new AlertCondition((AlertConditionKind)kind);
        }
    }

    private string? Webhook(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "webhook") is null or YamlScalarNode { Value: null or "" })
        {
            if (hasDefaultWebhook)
            {
                // Stored empty: the default is looked up when sending, so each environment sends to its own.
                return "";
            }

            yaml.Error(YamlReader.Get(map, "webhook") ?? map, $"{label} needs 'webhook' (or set monitoring.default_webhook in {Configuration.RepositoryConfig.FileName} for alerts that name none).");
            return null;
        }

        if (yaml.RequiredString(map, "webhook", label) is not { } webhook)
        {
            return null;
        }

        // A URL built from ${VAR} is checked when it is sent: its value is not known (and must not be read) here.
        if (!webhook.Contains("${", StringComparison.Ordinal) && !WebhookUrl.IsValid(webhook))
        {
            yaml.Error(YamlReader.Get(map, "webhook")!, $"Invalid 'webhook' of {label}: not an absolute http or https URL (write ${{VAR}} to keep a secret URL out of the repository).");
            return null;
        }

        return webhook;
    }

    private TimeSpan Cooldown(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "cooldown") is not { } node || yaml.ScalarOrNull(node, $"'cooldown' of {label}") is not { } text)
        {
            return Alert.DefaultCooldown;
        }

        if (Durations.TryParse(text, out var cooldown))
        {
            return cooldown;
        }

        yaml.Error(node, $"Invalid 'cooldown' of {label}: '{text}'; expected {Durations.Grammar}.");
        return Alert.DefaultCooldown;
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
