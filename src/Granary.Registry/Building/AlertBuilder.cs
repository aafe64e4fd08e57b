using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Alerts;

namespace Granary.Registry.Building;

/// <summary>Configures an <see cref="Alert"/>; see <see cref="RepositoryBuilder.Alert"/>. Exactly one <c>When...</c> is required.</summary>
public sealed class AlertBuilder : MetadataBuilder<AlertBuilder>
{
    private readonly List<string> _views = [];
    private AlertCondition? _condition;
    private string? _webhook;
    private TimeSpan _cooldown = Alert.DefaultCooldown;

    /// <summary>The views it watches; none (the default) means every view.</summary>
    public AlertBuilder Views(params string[] views)
    {
        _views.Clear();
        _views.AddRange(views);
        return this;
    }

    /// <summary>Fires when a feature of the view drifts at least this much: <c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public AlertBuilder WhenDriftSeverity(string severity) => When(new AlertCondition(AlertConditionKind.DriftSeverity, Severity: severity));

    /// <summary>Fires when the view is stale or very stale.</summary>
    public AlertBuilder WhenStale() => When(new AlertCondition(AlertConditionKind.Stale));

    /// <summary>Fires when the view is very stale.</summary>
    public AlertBuilder WhenVeryStale() => When(new AlertCondition(AlertConditionKind.VeryStale));

    /// <summary>Fires when a validation rule of the view fails.</summary>
    public AlertBuilder WhenValidationFailed() => When(new AlertCondition(AlertConditionKind.ValidationFailed));

    /// <summary>Fires when online and offline values agree for less than <paramref name="share"/> (above 0, at most 1).</summary>
    public AlertBuilder WhenConsistencyBelow(double share) => When(new AlertCondition(AlertConditionKind.ConsistencyBelow, Threshold: share));

    /// <summary>The URL fired to; write <c>${VAR}</c> to keep a secret URL out of the code and the registry.</summary>
    public AlertBuilder Webhook(string url)
    {
        _webhook = url;
        return this;
    }

    /// <summary>How long the same (alert, view, condition) stays quiet after firing; one hour unless set.</summary>
    public AlertBuilder Cooldown(TimeSpan cooldown)
    {
        _cooldown = cooldown;
        return this;
    }

    private AlertBuilder When(AlertCondition condition)
    {
        if (_condition is not null)
        {
            throw new InvalidOperationException($"An alert watches one condition; it already has '{_condition}'. Define one alert per condition.");
        }

        _condition = condition;
        return this;
    }

    // The YAML loader's checks, thrown at once with the caller's line; the webhook is never quoted (it may be a secret).
    internal Alert Build(string name, SourceLocation at)
    {
        var label = $"alert '{name}'";
        var problem = !Identifier.IsValid(name) ? $"Invalid name for {label}: use {Identifier.Rule}."
            : _condition is null ? $"The {label} needs a condition (WhenStale(), WhenDriftSeverity(\"high\"), ...)."
            : _condition.Problem() is { } p ? $"Invalid condition of {label}: {p}."
            : string.IsNullOrEmpty(_webhook) ? $"The {label} needs a webhook."
            : !_webhook.Contains("${", StringComparison.Ordinal) && !WebhookUrl.IsValid(_webhook) ? $"Invalid webhook of {label}: not an absolute http or https URL."
            : _cooldown <= TimeSpan.Zero ? $"Invalid cooldown of {label}: it must be positive."
            : null;
        if (problem is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"{at}: {problem}");
        }

        return new Alert
        {
            Name = name,
            Description = DescriptionText,
            Owner = OwnerText,
            Tags = new Dictionary<string, string>(TagMap, StringComparer.Ordinal),
            Views = [.. _views],
            Condition = _condition!,
            Webhook = _webhook!,
            Cooldown = _cooldown,
        };
    }
}
