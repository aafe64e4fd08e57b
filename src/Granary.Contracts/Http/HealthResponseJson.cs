using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary><c>GET /health</c>'s answer when healthy, <c>{"status", "project", "registry_version", "online_store"}</c>: its definition and its writer.</summary>
internal static class HealthResponseJson
{
    public static readonly JsonField Status = new("status", JsonFieldKind.Enum, "Always ok: an unhealthy server answers 503 with an error.", required: true, allowedValues: ["ok"]);

    public static readonly JsonField Project = new("project", JsonFieldKind.String, "The project served.", required: true);

    public static readonly JsonField RegistryVersion = new(
        "registry_version", JsonFieldKind.Integer, "The registry version readers currently see; 0 before the first apply.", required: true);

    public static readonly JsonField OnlineStore = new("online_store", JsonFieldKind.String, "The online store's name.", required: true);

    public static JsonBodySchema Schema { get; } = new("HealthResponse", "The registry and the online store both answer.", [Status, Project, RegistryVersion, OnlineStore]);

    private static readonly JsonEncodedText Ok = JsonEncodedText.Encode(Status.AllowedValues[0]);

    public static void Write(Utf8JsonWriter writer, string project, long registryVersion, string onlineStore)
    {
        writer.WriteStartObject();
        writer.WriteString(Status.EncodedName, Ok);
        writer.WriteString(Project.EncodedName, project);
        writer.WriteNumber(RegistryVersion.EncodedName, registryVersion);
        writer.WriteString(OnlineStore.EncodedName, onlineStore);
        writer.WriteEndObject();
    }
}
