namespace Granary.Core.Model;

/// <summary>
/// One item of the repository's <c>alerts:</c> list: a condition watched over some views, fired to a webhook. A
/// registry object like any other, so the monitor reads it from the registry rather than from the repository.
/// </summary>
public sealed record Alert : Definition
{
    /// <summary>The cool-down when none is written.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromHours(1);

    /// <summary>The views it watches, by name; empty means every view.</summary>
    public IReadOnlyList<string> Views { get; init; } = [];

    /// <summary>When it fires.</summary>
    public required AlertCondition Condition { get; init; }

    /// <summary>
    /// The webhook URL as written, <c>${VAR}</c> references unexpanded so that a secret held in the environment never
    /// reaches the registry; it is expanded only to send, and shown only redacted (scheme and host). Empty when the
    /// alert names none: it then sends to the configuration's <c>monitoring.default_webhook</c>, looked up at each send
    /// so that every environment applying the same definitions can send to its own.
    /// </summary>
    public required string Webhook { get; init; }

    /// <summary>How long the same (alert, view, condition) stays quiet after firing.</summary>
    public TimeSpan Cooldown { get; init; } = DefaultCooldown;

    public override ObjectKind Kind => ObjectKind.Alert;

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
