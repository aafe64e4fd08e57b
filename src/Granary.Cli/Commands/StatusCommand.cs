using System.CommandLine;
using Granary.Cli.Output;
using Granary.Core.Time;
using Granary.Monitoring;
using Granary.Quality.Freshness;
using Granary.Server.Http.Monitoring;

namespace Granary.Cli.Commands;

/// <summary><c>granary status</c>: every feature view's freshness, as <c>GET /api/v1/monitoring/freshness</c> answers it.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var format = FeaturesOutput.CreateFormatOption();
        format.Description = "text for people, or json: the same JSON as GET /api/v1/monitoring/freshness.";
        var check = new Option<bool>("--check") { Description = "Exit with 1 when any view is not fresh (for a scheduler or a CI step)." };
        var command = new Command(
            "status",
            "Show every feature view's freshness: its newest event materialized, pushed or ingested, how old that is, and whether it is fresh, stale or very_stale against the view's freshness (daily when it declares none).")
        {
            format,
            check,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var views = await store.GetFreshnessAsync(cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, views, static (writer, all) =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("views");
                    foreach (var view in all)
                    {
                        FreshnessEndpoint.Write(writer, view);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else if (views.Count == 0)
            {
                context.Output.WriteLine($"Project '{store.Project}' has no feature views; run 'granary apply' first.");
            }
            else
            {
                var table = new TextTable("VIEW", "NEWEST EVENT", "AGE", "EXPECTED", "STATUS");
                foreach (var view in views)
                {
                    table.AddRow(view.Name, FeaturesOutput.Time(view.NewestEvent), Age(view), view.Expectation.Expected, view.StatusKey);
                }

                table.Write(context.Output);
            }

            return !parseResult.GetValue(check) || AllFresh(views) ? 0 : CommandRunner.Failed;
        });
        return command;
    }

    private static string Age(ViewFreshness view) => view.Age is { } age
        ? Durations.Format(TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds)))
        : "never written";

    private static bool AllFresh(IReadOnlyList<ViewFreshness> views)
    {
        foreach (var view in views)
        {
            if (view.Status != FreshnessStatus.Fresh)
            {
                return false;
            }
        }

        return true;
    }
}
