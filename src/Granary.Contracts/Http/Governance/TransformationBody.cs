using System.Text.Json;

namespace Granary.Contracts.Http.Governance;

/// <summary>A <c>transformation</c> (or <c>transformation_snapshot</c>) as a request sent it.</summary>
internal sealed record TransformationBody(string TransformationType, string Code, IReadOnlyDictionary<string, JsonElement> Parameters);
