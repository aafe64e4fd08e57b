using System.CommandLine;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Cli.Commands;

/// <summary>Instants on the command line: ISO-8601 (a time without a zone is UTC), or <c>now</c>.</summary>
internal static class TimeArguments
{
    /// <summary>An optional time option (<c>--current-start T</c>), read with <see cref="Parse"/>.</summary>
    public static Option<string?> Option(string name, string description) => new(name) { Description = description, HelpName = "T" };

    /// <summary>Parses <paramref name="text"/>, naming <paramref name="argument"/> when it is not a time; <c>now</c> is <paramref name="time"/>'s, the command's clock, so it agrees with the store's ttl checks.</summary>
    public static DateTimeOffset Parse(string text, string argument, TimeProvider time)
    {
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return time.GetUtcNow();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"{argument}: '{text}' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.");
    }

    public static List<string> SplitList(string? text)
    {
        var items = new List<string>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            items.Add(part);
        }

        return items;
    }
}
