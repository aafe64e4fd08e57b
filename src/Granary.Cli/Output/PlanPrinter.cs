using Granary.Model;
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
}
