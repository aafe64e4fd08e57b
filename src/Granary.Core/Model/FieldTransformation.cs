using System.Text.Json;

namespace Granary.Core.Model;

/// <summary>
/// How a feature is computed, as a schema field's <c>transformation:</c> declares it: the kind
/// (<c>sql</c>, <c>csharp</c>, <c>expression</c>, ...), the code, and parameters as JSON values.
/// </summary>
public sealed record FieldTransformation(string TransformationType, string Code)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoParameters = new Dictionary<string, JsonElement>();

    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = NoParameters;
}
