using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads values out of a YAML node tree, reporting each problem with its file, line and column instead of throwing,
/// so one pass finds every mistake in a file.
/// </summary>
/// <param name="file">The file the nodes are in, as messages name it.</param>
/// <param name="diagnostics">Where problems are reported.</param>
/// <param name="defaultCode">The error code of problems reported without one.</param>
/// <param name="locate">
/// Where a node was written, for a tree merged from several files (the configuration's overlays); by default every
/// node is in <paramref name="file"/>.
/// </param>
internal sealed class YamlReader(string file, DiagnosticBag diagnostics, string defaultCode = ErrorCodes.InvalidDefinition, Func<YamlNode, SourceLocation>? locate = null)
{
    public string File { get; } = file;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public SourceLocation At(YamlNode node) => locate?.Invoke(node) ?? At(node.Start);

    public SourceLocation At(Mark mark) => new(File, (int)mark.Line, (int)mark.Column);

    public void Error(YamlNode node, string message, string? code = null) =>
        Diagnostics.Add(code ?? defaultCode, message, At(node));

    /// <summary>Parses every document of a file; a syntax error is reported and yields nothing.</summary>
    public IReadOnlyList<YamlNode> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is { } inner && e.Message.Contains("exception", StringComparison.OrdinalIgnoreCase) ? inner.Message : e.Message;
            Report(YamlSyntaxHints.Explain(text, e, StripLocation(reason)));
            return [];
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the file ends inside an open flow collection.
            Report(YamlSyntaxHints.ExplainUnexpectedEnd(text));
            return [];
        }

        var roots = new List<YamlNode>();
        foreach (var document in stream.Documents)
        {
            roots.Add(document.RootNode);
        }

        return roots;
    }

    private void Report(YamlSyntaxHints.Explanation error) =>
        Diagnostics.Add(defaultCode, $"YAML syntax error: {error.Message.TrimEnd('.')}.", new SourceLocation(File, error.Line, error.Column));

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{what} must be a mapping of keys to values.");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Error(node, $"{what} must be a list.");
        return null;
    }

    public static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>Reports keys that are not in <paramref name="allowed"/>, suggesting the closest allowed key.</summary>
    public void CheckKeys(YamlMappingNode map, string what, params ReadOnlySpan<string> allowed)
    {
        var allowedList = allowed.ToArray();
        foreach (var (k, _) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(allowedList, key) >= 0)
            {
                continue;
            }

            var suggestion = Suggestions.Closest(key, allowedList);
            var hint = suggestion is null ? $"expected one of: {string.Join(", ", allowedList)}" : $"did you mean '{suggestion}'?";
            Error(k, $"Unknown key '{key}' in {what}; {hint}");
        }
    }

    public string? ScalarOrNull(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        Error(node, $"{what} must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}.");
        return null;
    }

    /// <summary>A required string; reports it missing at the mapping's position.</summary>
    public string? RequiredString(YamlMappingNode map, string key, string what)
    {
        var node = Get(map, key);
        if (node is null || (node is YamlScalarNode { Value: null or "" }))
        {
            Error(node ?? map, $"{what} needs '{key}'.");
            return null;
        }

        return ScalarOrNull(node, $"'{key}' of {what}");
    }

    public string? OptionalString(YamlMappingNode map, string key, string what)
    {
        var node = Get(map, key);
        if (node is null || node is YamlScalarNode { Value: null or "" } && ((YamlScalarNode)node).Style == ScalarStyle.Plain)
        {
            return null;
        }

        return ScalarOrNull(node, $"'{key}' of {what}");
    }

    public bool? OptionalBool(YamlMappingNode map, string key, string what)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        var text = ScalarOrNull(node, $"'{key}' of {what}");
        switch (text?.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            case null:
                return null;
            default:
                Error(node, $"'{key}' of {what} must be true or false, not '{text}'.");
                return null;
        }
    }

    /// <summary>A list of strings; a single scalar is accepted as a one-item list.</summary>
    public List<(string Value, YamlNode Node)> StringList(YamlMappingNode map, string key, string what)
    {
        var result = new List<(string, YamlNode)>();
        var node = Get(map, key);
        switch (node)
        {
            case null:
                break;
            case YamlScalarNode { Value: { Length: > 0 } value }:
                result.Add((value, node));
                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    if (ScalarOrNull(item, $"each item of '{key}' in {what}") is { } s)
                    {
                        result.Add((s, item));
                    }
                }

                break;
            case YamlScalarNode:
                break;
            default:
                Error(node, $"'{key}' of {what} must be a list of names.");
                break;
        }

        return result;
    }

    /// <summary>A mapping of string to string (tags, field_mapping).</summary>
    public Dictionary<string, string> StringMap(YamlMappingNode map, string key, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Get(map, key);
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return result;
        }

        if (Mapping(node, $"'{key}' of {what}") is not { } m)
        {
            return result;
        }

        foreach (var (k, v) in m.Children)
        {
            var name = ScalarOrNull(k, $"a key of '{key}' in {what}");
            var value = ScalarOrNull(v, $"'{key}.{name}' of {what}");
            if (name is not null && value is not null)
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static string StripLocation(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we print our own location.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && marker > 0 ? message[(marker + 3)..] : message;
    }
}
