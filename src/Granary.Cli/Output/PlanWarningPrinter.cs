using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Cli.Output;

/// <summary>Prints a plan's warnings after it, one line each with where the definition is: advice, not errors.</summary>
internal static class PlanWarningPrinter
{
    public static void Print(IReadOnlyList<Diagnostic> warnings, TextWriter output)
    {
        foreach (var warning in warnings)
        {
            output.WriteLine($"warning: {warning}");
        }
    }
}
