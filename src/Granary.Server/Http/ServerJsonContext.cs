using System.Text.Json.Serialization;

namespace Granary.Server.Http;

/// <summary>Source-generated serialization for the server's few typed bodies: no reflection at run time.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(MaterializeRequestJson))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
