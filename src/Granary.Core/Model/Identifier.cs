namespace Granary.Core.Model;

/// <summary>
/// Names of entities, sources, views, features and services: a letter or underscore, then letters, digits or
/// underscores, at most 128 characters. The same rule lets names be used unquoted in SQL, Redis keys and URLs.
/// </summary>
internal static class Identifier
{
    public const int MaxLength = 128;

    public static string Rule => "a letter or underscore followed by letters, digits or underscores (at most 128)";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
