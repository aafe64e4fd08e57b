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
    /// The catalog versions the plan makes (or, <paramref name="applied"/>, made), after the object diff: one line per
    /// entry, <c>catalog customer_stats 1.2.0 -> 2.0.0 (major: schema.avg.dtype: float64 -> float32)</c>; nothing
    /// when the catalog does not change. Staged views are named with what serves meanwhile.
    /// </summary>
    public static void PrintCatalog(RegistryPlan plan, TextWriter output, bool applied)
    {
        if (!plan.HasCatalogChanges)
        {
            return;
        }

        output.WriteLine(applied ? "Catalog versions:" : "Catalog changes:");
        foreach (var change in plan.CatalogChanges)
        {
            output.WriteLine($"  {change}");
        }

        if (plan.StagedViews.Count > 0)
        {
            output.WriteLine(applied
                ? $"Staged, not promoted: {string.Join(", ", plan.StagedViews)} (the current versions keep serving; read the staged one as view@vN:feature; a plain 'granary apply' promotes it)."
                : $"Would stage, not promote: {string.Join(", ", plan.StagedViews)} (the current versions keep serving).");
        }
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
