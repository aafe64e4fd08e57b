using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Model;

/// <summary>
/// The type of a feature or key: a scalar, or a list of one scalar kind (a <c>list&lt;float32&gt;</c> holds an embedding).
/// The canonical spelling is lowercase, <c>int64</c> or <c>list&lt;float32&gt;</c>; parsing also accepts
/// the spellings Feast users know (<c>Int64</c>, <c>INT64</c>, <c>Array(Float32)</c>, <c>FLOAT_LIST</c>, <c>DOUBLE</c>).
/// </summary>
public readonly record struct FeatureType(ScalarKind Kind, bool IsList = false)
{
    public static readonly FeatureType Int32 = new(ScalarKind.Int32);
    public static readonly FeatureType Int64 = new(ScalarKind.Int64);
    public static readonly FeatureType Float32 = new(ScalarKind.Float32);
    public static readonly FeatureType Float64 = new(ScalarKind.Float64);
    public static readonly FeatureType String = new(ScalarKind.String);
    public static readonly FeatureType Bool = new(ScalarKind.Bool);
    public static readonly FeatureType Bytes = new(ScalarKind.Bytes);
    public static readonly FeatureType UnixTimestamp = new(ScalarKind.UnixTimestamp);

    /// <summary>The canonical names of every scalar kind, for error messages.</summary>
    public static string ValidNames => "int32, int64, float32, float64, string, bool, bytes, unix_timestamp, or list<one of these>";

    /// <summary>A list of this type's scalar kind.</summary>
    public FeatureType AsList() => new(Kind, IsList: true);

    public override string ToString() => IsList ? $"list<{ScalarName(Kind)}>" : ScalarName(Kind);

    public static FeatureType Parse(string text) =>
        TryParse(text, out var type)
            ? type
            : throw new FormatException($"Unknown type '{text}'; expected {ValidNames}.");

    public static bool TryParse([NotNullWhen(true)] string? text, out FeatureType type)
    {
        type = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        var isList = false;
        if (TryUnwrap(s, "list<", ">", out var inner) || TryUnwrap(s, "array(", ")", out inner) || TryUnwrap(s, "array<", ">", out inner))
        {
            isList = true;
            s = inner;
        }
        else if (s.EndsWith("_list", StringComparison.Ordinal))
        {
            isList = true;
            s = s[..^"_list".Length];
        }
        else if (s.EndsWith("[]", StringComparison.Ordinal))
        {
            isList = true;
            s = s[..^2];
        }

        if (!TryParseScalar(s, out var kind))
        {
            return false;
        }

        type = new FeatureType(kind, isList);
        return true;
    }

    private static bool TryUnwrap(string s, string prefix, string suffix, out string inner)
    {
        if (s.StartsWith(prefix, StringComparison.Ordinal) && s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > prefix.Length + suffix.Length)
        {
            inner = s[prefix.Length..^suffix.Length];
            return true;
        }

        inner = "";
        return false;
    }

    private static bool TryParseScalar(string s, out ScalarKind kind)
    {
        kind = s switch
        {
            "int32" or "int" => ScalarKind.Int32,
            "int64" or "long" => ScalarKind.Int64,
            "float32" or "float" => ScalarKind.Float32,
            "float64" or "double" => ScalarKind.Float64,
            "string" or "str" => ScalarKind.String,
            "bool" or "boolean" => ScalarKind.Bool,
            "bytes" => ScalarKind.Bytes,
            "unix_timestamp" or "unixtimestamp" or "timestamp" => ScalarKind.UnixTimestamp,
            _ => 0,
        };
        return kind != 0;
    }

    private static string ScalarName(ScalarKind kind) => kind switch
    {
        ScalarKind.Int32 => "int32",
        ScalarKind.Int64 => "int64",
        ScalarKind.Float32 => "float32",
        ScalarKind.Float64 => "float64",
        ScalarKind.String => "string",
        ScalarKind.Bool => "bool",
        ScalarKind.Bytes => "bytes",
        ScalarKind.UnixTimestamp => "unix_timestamp",
        _ => "invalid",
    };
}
