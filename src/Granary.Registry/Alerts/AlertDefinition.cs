using Granary.Core.Errors;

namespace Granary.Registry.Alerts;

/// <summary>One item of the repository's <c>alerts:</c> list.</summary>
/// <param name="Name">The alert's name, unique in the repository.</param>
/// <param name="Views">The views it watches; empty means every view.</param>
/// <param name="Condition">When it fires.</param>
/// <param name="Webhook">
/// The webhook URL as written, <c>${VAR}</c> references unexpanded so a secret is never stored or shown; expand it
/// only to send (<see cref="WebhookUrl.TryExpand"/>) and show it only through <see cref="WebhookUrl.Redact"/>.
/// </param>
/// <param name="Cooldown">How long the same (alert, view, condition) stays quiet after firing.</param>
/// <param name="Description">Free text for people.</param>
/// <param name="Location">Where the alert is written.</param>
internal sealed record AlertDefinition(
    string Name,
    IReadOnlyList<string> Views,
    AlertCondition Condition,
    string Webhook,
    TimeSpan Cooldown,
    string Description,
    SourceLocation Location)
{
    /// <summary>The cool-down when none is written.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromHours(1);

    /// <summary>Whether the alert watches <paramref name="view"/>.</summary>
    public bool Watches(string view)
    {
        if (Views.Count == 0)
        {
            return true;
        }

        foreach (var v in Views)
        {
            if (v == view)
            {
                return true;
            }
        }

        return false;
    }
}
