using System.CommandLine;
using System.Globalization;
using System.Text;
using Granary.Cli.Output;
using Granary.Quality.Profiles;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary profile VIEW [--start T --end T] [--format json]</c>: profiles a view's source rows in the engine and
/// stores the profile; <c>granary profile list VIEW [--format json]</c>: the view's stored profiles, newest first.
/// The JSON is the bytes the server answers at <c>/api/v1/monitoring/profiles</c>.
/// </summary>
internal static class ProfileCommand
{
    public const string Name = "profile";

    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view to profile (view, or view@vN for a version)." };
        var start = new Option<string?>("--start")
        {
            Description = "Profile the rows whose event time is at or after T (ISO-8601, UTC unless a zone is given); from the first row by default.",
            HelpName = "T",
        };
        var end = new Option<string?>("--end") { Description = "Profile the rows whose event time is before T (ISO-8601 or 'now'); now by default.", HelpName = "T" };
        var format = FormatOption("the profile as GET /api/v1/monitoring/profiles/{id} answers it");
        var command = new Command(Name, "Profile a feature view's source rows in a period inside the offline engine, and store the profile in the registry.")
        {
            view, start, end, format,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var from = parseResult.GetValue(start) is { } s ? TimeArguments.Parse(s, "--start", context.TimeProvider) : (DateTimeOffset?)null;
            var to = parseResult.GetValue(end) is { } e ? TimeArguments.Parse(e, "--end", context.TimeProvider) : (DateTimeOffset?)null;
            var name = parseResult.GetValue(view)!;
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var started = context.TimeProvider.GetTimestamp();
            var profile = await WithSpinnerAsync(context.Error, $"Profiling {name} in the {store.OfflineEngineName} engine...", () => store.ProfileAsync(name, from, to, cancellationToken));
            if (IsJson(parseResult, format))
            {
                context.Output.WriteLine(Encoding.UTF8.GetString(ProfileJson.Report(profile)));
                return 0;
            }

            WriteProfile(context.Output, profile);
            var elapsed = context.TimeProvider.GetElapsedTime(started);
            context.Output.WriteLine(
                $"Profiled {profile.View}: {profile.Rows:N0} rows, {profile.Features.Count} features, in {elapsed.TotalSeconds:0.0}s; stored as profile {profile.Id}.");
            return 0;
        });

        command.Subcommands.Add(List());
        return command;
    }

    private static Command List()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view whose stored profiles to list." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 100, HelpName = "N" };
        var format = FormatOption("the list as GET /api/v1/monitoring/profiles?view=VIEW answers it");
        var list = new Command("list", "List a feature view's stored profiles, newest first.") { view, limit, format };
        CommandRunner.SetAction(list, async (parseResult, context, cancellationToken) =>
        {
            var name = parseResult.GetValue(view)!;
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var profiles = await store.ListProfilesAsync(name, parseResult.GetValue(limit), cancellationToken);
            var total = await store.CountProfilesAsync(name, cancellationToken);
            if (IsJson(parseResult, format))
            {
                context.Output.WriteLine(Encoding.UTF8.GetString(ProfileJson.List(profiles, total)));
                return 0;
            }

            if (profiles.Count == 0)
            {
                context.Output.WriteLine($"No stored profiles of '{name}'. Compute one with 'granary profile {name}'.");
                return 0;
            }

            var table = new TextTable("ID", "CREATED", "START", "END", "ROWS", "ENGINE");
            foreach (var p in profiles)
            {
                table.AddRow(p.Id, FeaturesOutput.Time(p.CreatedAt), Time(p.Start), FeaturesOutput.Time(p.End), p.Rows.ToString("N0", CultureInfo.InvariantCulture), p.Engine);
            }

            table.Write(context.Output);
            if (total > profiles.Count)
            {
                context.Output.WriteLine($"{profiles.Count} of {total} profiles shown; --limit shows more.");
            }

            return 0;
        });
        return list;
    }

    private static Option<string> FormatOption(string json)
    {
        var format = new Option<string>("--format") { Description = $"text for people, or json: {json}.", DefaultValueFactory = _ => "text", HelpName = "text|json" };
        format.AcceptOnlyFromAmong("text", "json");
        return format;
    }

    private static bool IsJson(ParseResult parseResult, Option<string> format) => parseResult.GetValue(format) == "json";

    // On a terminal a spinner says the engine is working; piped or captured, nothing is drawn.
    private static async Task<T> WithSpinnerAsync<T>(TextWriter error, string status, Func<Task<T>> run)
    {
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Status().StartAsync(Markup.Escape(status), _ => run());
        }

        return await run();
    }

    private static void WriteProfile(TextWriter output, ViewProfile profile)
    {
        output.WriteLine($"Profile {profile.Id} of {profile.View}: {profile.Rows:N0} rows with event times from {Time(profile.Start)} to {FeaturesOutput.Time(profile.End)} (excluded), profiled by {profile.Engine}.");
        foreach (var feature in profile.Features)
        {
            output.WriteLine();
            output.WriteLine($"{feature.Name} ({feature.Type})");
            var stats = new TextTable("STATISTIC", "VALUE");
            stats.AddRow("count", Count(feature.Count));
            stats.AddRow("null_count", Count(feature.NullCount));
            stats.AddRow("distinct", Count(feature.Distinct) + (feature.DistinctApproximate ? " (approximate)" : ""));
            if (feature.Kind == ProfileKind.Numeric)
            {
                stats.AddRow("mean", Number(feature.Mean));
                stats.AddRow("stddev", Number(feature.StdDev));
                stats.AddRow("min", Number(feature.Min));
                stats.AddRow("max", Number(feature.Max));
                if (feature.Quantiles is { } q)
                {
                    foreach (var (level, value) in new[] { ("p1", q.P1), ("p5", q.P5), ("p25", q.P25), ("p50", q.P50), ("p75", q.P75), ("p95", q.P95), ("p99", q.P99) })
                    {
                        stats.AddRow(level, Number(value));
                    }
                }
            }

            stats.Write(output);
            if (feature.Histogram is { Count: > 0 } histogram)
            {
                output.WriteLine();
                var bins = new TextTable("FROM", "TO", "COUNT");
                for (var i = 0; i < histogram.Count; i++)
                {
                    var bin = histogram[i];
                    bins.AddRow(Number(bin.Lower), Number(bin.Upper) + (i == histogram.Count - 1 ? " (incl.)" : ""), Count(bin.Count));
                }

                bins.Write(output);
            }

            if (feature.TopK is { Count: > 0 } top)
            {
                output.WriteLine();
                var values = new TextTable("VALUE", "COUNT");
                foreach (var category in top)
                {
                    values.AddRow(category.Value, Count(category.Count));
                }

                values.Write(output);
            }
        }

        output.WriteLine();
    }

    // A profile without --start begins at the first instant there is.
    private static string Time(DateTimeOffset time) => time == DateTimeOffset.MinValue ? "the first row" : FeaturesOutput.Time(time);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
