using System.Diagnostics.CodeAnalysis;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Core.Providers;

/// <summary>
/// A provider's view of its section while it reads its options: each key it asks for becomes a key it knows, and
/// what it finds wrong is collected with the key's line rather than thrown, so every section is checked in one run.
/// After the provider has read, <see cref="ReportUnknownKeys"/> judges the keys it never asked for.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed class StoreOptionsReader
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _errors = [];
    private readonly List<Diagnostic> _warnings = [];

    /// <param name="sectionName">The section's key in <c>granary.yaml</c>, e.g. <c>online_store</c>; messages name it.</param>
    /// <param name="section">The section to read.</param>
    public StoreOptionsReader(string sectionName, StoreSection section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        ArgumentNullException.ThrowIfNull(section);
        SectionName = sectionName;
        Section = section;
    }

    public string SectionName { get; }

    public StoreSection Section { get; }

    /// <summary>Mistakes: a required key missing, a bad value, a misspelled key.</summary>
    public IReadOnlyList<Diagnostic> Errors => _errors;

    /// <summary>Keys no option of the provider is near: kept for other tools, ignored here.</summary>
    public IReadOnlyList<Diagnostic> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>The value of a key the provider needs; reports it missing (or empty) and returns null when it is.</summary>
    public string? Required(string key)
    {
        if (Optional(key) is { } value)
        {
            return value;
        }

        // At the key when it is there but empty, else where the section starts.
        Report(_errors, $"'{SectionName}' of type {Section.Type} needs '{key}'.", Section.Settings.TryGetValue(key, out var empty) ? empty.Location ?? Section.Location : Section.Location);
        return null;
    }

    /// <summary>The value of a key the provider can do without; null when it is missing or empty.</summary>
    public string? Optional(string key)
    {
        _known.Add(key);
        return Section.Settings.TryGetValue(key, out var setting) && setting.Value.Length > 0 ? setting.Value : null;
    }

    /// <summary>Reports a value the provider cannot use, at the key's line.</summary>
    public void Error(string key, string message) =>
        Report(_errors, message, Section.Settings.TryGetValue(key, out var setting) ? setting.Location ?? Section.Location : Section.Location);

    /// <summary>
    /// Judges every key the provider did not ask for: one close to a known key is a misspelling, an error with a
    /// "did you mean"; any other is a warning, since store sections may carry keys that other tools read.
    /// </summary>
    public void ReportUnknownKeys()
    {
        foreach (var (key, setting) in Section.Settings)
        {
            if (_known.Contains(key))
            {
                continue;
            }

            var location = setting.Location ?? Section.Location;
            if (Suggestions.Closest(key, _known) is { } suggestion)
            {
                Report(_errors, $"Unknown key '{key}' in '{SectionName}' of type {Section.Type}; did you mean '{suggestion}'?", location);
            }
            else
            {
                var known = _known.Count == 0 ? "it has no keys besides 'type'" : $"its keys are {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
                Report(_warnings, $"'{SectionName}' of type {Section.Type} does not use '{key}'; it is ignored ({known}).", location);
            }
        }
    }

    private static void Report(List<Diagnostic> list, string message, SourceLocation? location) =>
        list.Add(new Diagnostic(ErrorCodes.InvalidConfig, message, location));
}
