using Granary.Core.Model;
using Granary.Registry.Planning;
using Granary.Registry.Storage;

namespace Granary.Cli.Output;

/// <summary>Prints a plan the way infrastructure tools do: one line per object with +, ~ or -, and what changes inside.</summary>
internal static class PlanPrinter
{
    public static void Print(RegistryPlan plan, TextWriter output)
    {
        output.WriteLine($"Project '{plan.Project}' (registry version {plan.BaseVersion}):");
        if (!plan.HasChanges)
        {
            output.WriteLine($"  No changes; {plan.Unchanged} object{(plan.Unchanged == 1 ? "" : "s")} up to date.");
            return;
        }

        foreach (var change in plan.Changes)
        {
            var symbol = change.Action switch
            {
                ChangeAction.Add => "+",
                ChangeAction.Update => "~",
                _ => "-",
            };
            output.WriteLine($"  {symbol} {change.Kind.DisplayName()} {change.Name}");
            foreach (var property in change.Properties)
            {
                output.WriteLine($"      {property}");
            }
        }

        output.WriteLine($"{plan.Count(ChangeAction.Add)} to add, {plan.Count(ChangeAction.Update)} to change, {plan.Count(ChangeAction.Remove)} to remove, {plan.Unchanged} unchanged.");
    }

    /// <summary>
    /// Says which online views the plan leaves without readable online values, and the command that brings them back;
    /// nothing when there are none. <paramref name="applied"/>: the plan has been applied (apply) or not yet (plan).
    /// </summary>
    public static void PrintRematerialization(RegistryPlan plan, TextWriter output, bool applied)
    {
        if (plan.ViewsToRematerialize.Count == 0)
        {
            return;
        }

        var views = plan.ViewsToRematerialize;
        output.WriteLine(applied
            ? $"Re-materialization needed: {string.Join(", ", views)} (features or join-key types changed; the stored online values read as NOT_FOUND until materialized again)."
            : $"Re-materialization needed after apply: {string.Join(", ", views)} (features or join-key types change; the stored online values will read as NOT_FOUND until materialized again).");
        output.WriteLine($"  Run: granary materialize START END --views {string.Join(",", views)}   (START far enough back to cover each view's ttl; materialize-incremental only writes rows after each view's watermark)");
    }

    /// <summary>
    /// Says which stream features have no state yet (a new stream view's, or aggregations added to a live one): they
    /// serve from the next events, and a backfill computes their state from the logged events to serve them at once.
    /// </summary>
    public static void PrintStreamBackfill(RegistryPlan plan, TextWriter output, bool applied)
    {
        if (plan.StreamFeaturesToBackfill.Count == 0)
        {
            return;
        }

        output.WriteLine(applied
            ? "Stream features without state: they serve from the next events unless backfilled."
            : "Stream features without state after apply: they will serve from the next events unless backfilled.");
        foreach (var change in plan.StreamFeaturesToBackfill)
        {
            output.WriteLine($"  {change.View}{(change.NewView ? " (new view)" : "")}: {string.Join(", ", change.Features)}");
            output.WriteLine($"    Run: granary backfill {change.View} --start T --end T   (from far enough back to cover its longest window)");
        }
    }
}
