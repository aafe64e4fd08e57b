using System.CommandLine;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Cli.Commands;

/// <summary><c>--tag key=value</c>, repeatable: an object is listed only when it has every tag given, with that value.</summary>
internal sealed class TagFilter
{
    private readonly List<KeyValuePair<string, string>> _required;

    private TagFilter(List<KeyValuePair<string, string>> required) => _required = required;

    public bool IsEmpty => _required.Count == 0;

    public static Option<string[]> CreateOption() => new("--tag")
    {
        Description = "Only objects with this tag (key=value); repeat to require several.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "KEY=VALUE",
    };

    public static TagFilter Parse(string[]? arguments)
    {
        var required = new List<KeyValuePair<string, string>>();
        foreach (var argument in arguments ?? [])
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"--tag '{argument}': expected key=value, e.g. --tag team=growth.");
            }

            required.Add(new(argument[..equals], argument[(equals + 1)..]));
        }

        return new TagFilter(required);
    }

    public bool Matches(Definition definition)
    {
        foreach (var (key, value) in _required)
        {
            if (!definition.Tags.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(", ", _required.Select(t => $"{t.Key}={t.Value}"));
}
