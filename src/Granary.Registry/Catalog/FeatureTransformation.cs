using System.Text.Json;

namespace Granary.Registry.Catalog;

/// <summary>How a feature is computed: its <c>transformation_type</c> (sql, csharp, expression, ...), the code and its parameters.</summary>
public sealed record FeatureTransformation(string TransformationType, string Code)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoParameters = new Dictionary<string, JsonElement>();

    /// <summary>The transformation's parameters as JSON values, ordered by name when stored.</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = NoParameters;
}
