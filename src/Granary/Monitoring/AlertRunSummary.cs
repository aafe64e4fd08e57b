using System.Globalization;

namespace Granary.Monitoring;

/// <summary>What one run of the alert monitor did, counted over (alert, view) pairs.</summary>
/// <param name="Evaluated">Pairs whose condition was evaluated.</param>
/// <param name="Fired">Pairs whose condition held and that were sent (or attempted).</param>
/// <param name="Suppressed">Pairs whose condition held within their cool-down, so nothing was sent.</param>
/// <param name="FailedWebhooks">Firings whose webhook did not answer with success; they are retried at the next run.</param>
/// <param name="NotEvaluated">Pairs that could not be evaluated (no consistency check, a source that failed).</param>
internal sealed record AlertRunSummary(int Evaluated, int Fired, int Suppressed, int FailedWebhooks, int NotEvaluated)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"alerts: {Evaluated} evaluated, {Fired} fired, {Suppressed} suppressed by cool-down, {FailedWebhooks} failed webhooks, {NotEvaluated} not evaluated");
}
