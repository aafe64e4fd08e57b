using System.Text;
using System.Text.Json;

namespace Granary.Client.Http;

/// <summary>Readers of the small answers: push, write to the online store, health, and refusals (<c>{"error", "detail"}</c>).</summary>
internal static class ResultReaders
{
    public static PushResult ReadPush(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        long rows = 0, written = 0, late = 0, rejected = 0;
        var offline = false;
        string[] views = [];
        ResponseJson.Start(ref reader);
        while (ResponseJson.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("rows"u8))
            {
                ResponseJson.Read(ref reader);
                rows = ResponseJson.ReadInt64(ref reader, "rows");
            }
            else if (reader.ValueTextEquals("online_written"u8))
            {
                ResponseJson.Read(ref reader);
                written = ResponseJson.ReadInt64(ref reader, "online_written");
            }
            else if (reader.ValueTextEquals("offline"u8))
            {
                ResponseJson.Read(ref reader);
                offline = ResponseJson.ReadBoolean(ref reader, "offline");
            }
            else if (reader.ValueTextEquals("feature_views"u8))
            {
                ResponseJson.Read(ref reader);
                views = ResponseJson.ReadStrings(ref reader, "feature_views");
            }
            else if (reader.ValueTextEquals("late_rows"u8))
            {
                ResponseJson.Read(ref reader);
                late = ResponseJson.ReadInt64(ref reader, "late_rows");
            }
            else if (reader.ValueTextEquals("rejected_rows"u8))
            {
                ResponseJson.Read(ref reader);
                rejected = ResponseJson.ReadInt64(ref reader, "rejected_rows");
            }
            else
            {
                ResponseJson.Skip(ref reader);
            }
        }

        return new PushResult(rows, written, offline, views, late, rejected);
    }

    public static WriteResult ReadWrite(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        long rows = 0, written = 0;
        ResponseJson.Start(ref reader);
        while (ResponseJson.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("rows"u8))
            {
                ResponseJson.Read(ref reader);
                rows = ResponseJson.ReadInt64(ref reader, "rows");
            }
            else if (reader.ValueTextEquals("online_written"u8))
            {
                ResponseJson.Read(ref reader);
                written = ResponseJson.ReadInt64(ref reader, "online_written");
            }
            else
            {
                ResponseJson.Skip(ref reader);
            }
        }

        return new WriteResult(rows, written);
    }

    public static HealthResult ReadHealth(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        string status = "", project = "", store = "";
        long version = 0;
        ResponseJson.Start(ref reader);
        while (ResponseJson.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("status"u8))
            {
                ResponseJson.Read(ref reader);
                status = ResponseJson.ReadString(ref reader, "status");
            }
            else if (reader.ValueTextEquals("project"u8))
            {
                ResponseJson.Read(ref reader);
                project = ResponseJson.ReadString(ref reader, "project");
            }
            else if (reader.ValueTextEquals("registry_version"u8))
            {
                ResponseJson.Read(ref reader);
                version = ResponseJson.ReadInt64(ref reader, "registry_version");
            }
            else if (reader.ValueTextEquals("online_store"u8))
            {
                ResponseJson.Read(ref reader);
                store = ResponseJson.ReadString(ref reader, "online_store");
            }
            else
            {
                ResponseJson.Skip(ref reader);
            }
        }

        return new HealthResult(status, project, version, store);
    }

    /// <summary>A refusal's code and detail; null when the body is not one (a proxy's page, say).</summary>
    public static (string Code, string Detail)? ReadError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            string? code = null, detail = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("error"u8);
                var isDetail = reader.ValueTextEquals("detail"u8);
                reader.Read();
                if (isCode && reader.TokenType == JsonTokenType.String)
                {
                    code = reader.GetString();
                }
                else if (isDetail && reader.TokenType == JsonTokenType.String)
                {
                    detail = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return string.IsNullOrEmpty(code) ? null : (code!, detail ?? "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The start of a body that is not a refusal, for the message (a proxy's HTML, say), cut short.</summary>
    public static string Excerpt(ReadOnlySpan<byte> body)
    {
        const int Limit = 200;
        var text = Encoding.UTF8.GetString(body.Length > Limit ? body.Slice(0, Limit) : body);
        return body.Length > Limit ? text + "..." : text;
    }
}
