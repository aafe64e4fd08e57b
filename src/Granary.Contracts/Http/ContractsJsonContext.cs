using System.Text.Json.Serialization;

namespace Granary.Contracts.Http;

/// <summary>Source-generated serialization for the few bodies read by System.Text.Json rather than by hand: no reflection at run time.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(MaterializeRequestBody))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
