using System.Text.Json.Serialization;

namespace Granary.Quality.Profiles;

/// <summary>Which statistics a feature's profile has, from its type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProfileKind>))]
public enum ProfileKind
{
    /// <summary>int32, int64, float32, float64: mean, standard deviation, range, quantiles and a histogram.</summary>
    [JsonStringEnumMemberName("numeric")]
    Numeric,

    /// <summary>string and bool: the most frequent values.</summary>
    [JsonStringEnumMemberName("categorical")]
    Categorical,

    /// <summary>Any other type (bytes, timestamps, lists): counts only.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
