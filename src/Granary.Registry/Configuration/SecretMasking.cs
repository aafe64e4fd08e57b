using System.Text.RegularExpressions;

namespace Granary.Registry.Configuration;

/// <summary>
/// Decides what of a configuration value is a secret, so <c>granary config show</c> can print the rest: the values of
/// secret keys, the password inside a connection string, and values that came from a secret-named variable.
/// </summary>
internal static partial class SecretMasking
{
    /// <summary>What a secret is shown as.</summary>
    public const string Mask = "***";

    private static readonly string[] SecretKeys = ["password", "secret", "token", "api_key"];

    private static readonly string[] SecretVariableWords = ["PASSWORD", "SECRET", "TOKEN"];

    /// <summary>
    /// A key whose whole name is <c>password</c>, <c>secret</c>, <c>token</c> or <c>api_key</c>, or ends in one after an
    /// underscore (<c>redis_password</c>); a key that merely contains one (<c>join_keys</c>, <c>token_count</c>) is not.
    /// </summary>
    public static bool IsSecretKey(string key)
    {
        foreach (var name in SecretKeys)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (key.Length > name.Length && key[^(name.Length + 1)] == '_' && key.EndsWith(name, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the raw text refers to a variable whose name contains PASSWORD, SECRET or TOKEN.</summary>
    public static bool UsesSecretVariable(string raw)
    {
        foreach (var name in EnvironmentVariables.References(raw))
        {
            foreach (var word in SecretVariableWords)
            {
                if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The value as it may be shown: <see cref="Mask"/> for a secret key or a secret variable's value, otherwise the
    /// value with any password inside it masked (Npgsql's <c>Password=</c>, Redis's <c>password=</c>, a URL's <c>user:pass@</c>).
    /// </summary>
    /// <param name="key">The value's own key (the last part of its path).</param>
    /// <param name="raw">The text as written, before <c>${VAR}</c> expansion.</param>
    /// <param name="value">The text after expansion.</param>
    public static string Show(string key, string raw, string value) =>
        IsSecretKey(key) || UsesSecretVariable(raw) ? Mask : MaskEmbedded(value);

    /// <summary>Masks passwords written inside a connection string or URL, leaving the rest readable.</summary>
    public static string MaskEmbedded(string value)
    {
        var masked = ConnectionStringPassword().Replace(value, m => m.Groups["key"].Value + Mask);
        return UrlPassword().Replace(masked, m => m.Groups["user"].Value + Mask + "@");
    }

    // Password=...; in Npgsql (and Pwd=), password=... in a StackExchange.Redis configuration (options end at a comma).
    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*=\s*)[^;,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    // scheme://user:password@host: what a URL's userinfo carries.
    [GeneratedRegex(@"(?<user>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@/\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
