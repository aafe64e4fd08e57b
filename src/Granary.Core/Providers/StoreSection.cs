using Granary.Core.Errors;

namespace Granary.Core.Providers;

/// <summary>
/// A store section of <c>granary.yaml</c> (<c>registry</c>, <c>offline_store</c>, <c>online_store</c>) as the parser
/// sees it: the provider's <c>type</c> and the other keys, uninterpreted. Which keys mean something is up to the
/// provider that registers the type (see <see cref="IStoreProvider{TStore}"/>), so the parser knows no store.
/// </summary>
public sealed class StoreSection
{
    private static readonly IReadOnlyDictionary<string, StoreSetting> NoSettings = new Dictionary<string, StoreSetting>(StringComparer.Ordinal);

    /// <summary>
    /// A section as written in <c>granary.yaml</c>, with where each part is. Internal: only the parser knows where a
    /// section was written, and one public constructor with optional parameters keeps the surface free to grow.
    /// </summary>
    internal StoreSection(string type, IReadOnlyDictionary<string, StoreSetting>? settings, SourceLocation? location, SourceLocation? typeLocation = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Type = type;
        Settings = settings ?? NoSettings;
        Location = location;
        TypeLocation = typeLocation ?? location;
    }

    /// <summary>A section built in code: a type and its keys' values.</summary>
    public StoreSection(string type, IReadOnlyDictionary<string, string>? settings = null)
        : this(type, ToSettings(settings), null)
    {
    }

    /// <summary>The provider's name, as <c>type</c> gives it.</summary>
    public string Type { get; }

    /// <summary>Every key but <c>type</c>, by name.</summary>
    public IReadOnlyDictionary<string, StoreSetting> Settings { get; }

    /// <summary>Where the section starts; mistakes that belong to no one key (a required key missing) are reported here.</summary>
    public SourceLocation? Location { get; }

    /// <summary>Where <c>type</c> is written (the section's start when it is not); an unknown type is reported here.</summary>
    public SourceLocation? TypeLocation { get; }

    /// <summary>The value of <paramref name="key"/>, or null when the section does not have it.</summary>
    public string? this[string key] => Settings.TryGetValue(key, out var setting) ? setting.Value : null;

    private static Dictionary<string, StoreSetting>? ToSettings(IReadOnlyDictionary<string, string>? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var result = new Dictionary<string, StoreSetting>(settings.Count, StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            result[key] = new StoreSetting(value);
        }

        return result;
    }
}
