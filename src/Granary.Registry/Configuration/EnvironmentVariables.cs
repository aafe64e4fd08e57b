using System.Text;

namespace Granary.Registry.Configuration;

/// <summary>
/// Expands <c>${NAME}</c> (and <c>${NAME:-default}</c>) in configuration values, so secrets stay out of the repository.
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary>Expands every reference; returns false and the first unset name when one has no value and no default.</summary>
    public static bool TryExpand(string text, Func<string, string?> lookup, out string expanded, out string? missing)
    {
        var result = new StringBuilder(text.Length);
        missing = null;
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            var end = text.IndexOf('}', start + 2);
            if (end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var reference = text.AsSpan(start + 2, end - start - 2);
            var separator = reference.IndexOf(":-", StringComparison.Ordinal);
            var name = (separator >= 0 ? reference[..separator] : reference).ToString();
            var value = lookup(name);
            if (value is null && separator >= 0)
            {
                value = reference[(separator + 2)..].ToString();
            }

            if (value is null)
            {
                missing ??= name;
            }
            else
            {
                result.Append(value);
            }

            i = end + 1;
        }

        expanded = result.ToString();
        return missing is null;
    }

    /// <summary>The names of the variables <paramref name="text"/> refers to, in order.</summary>
    public static List<string> References(string text)
    {
        var names = new List<string>();
        var i = 0;
        while (text.IndexOf("${", i, StringComparison.Ordinal) is var start and >= 0 && text.IndexOf('}', start + 2) is var end and >= 0)
        {
            var reference = text.AsSpan(start + 2, end - start - 2);
            var separator = reference.IndexOf(":-", StringComparison.Ordinal);
            names.Add((separator >= 0 ? reference[..separator] : reference).ToString());
            i = end + 1;
        }

        return names;
    }
}
