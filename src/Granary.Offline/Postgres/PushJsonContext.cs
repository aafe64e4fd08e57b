using System.Text.Json.Serialization;

namespace Granary.Offline.Postgres;

/// <summary>Source-generated JSON for pushed rows: no reflection on the push path.</summary>
[JsonSerializable(typeof(IEnumerable<Dictionary<string, object?>>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(byte[]))]
internal sealed partial class PushJsonContext : JsonSerializerContext;
