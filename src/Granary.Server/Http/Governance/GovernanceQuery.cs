using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Contracts.Http.Governance;
using Granary.Core.Errors;
using Granary.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http.Governance;

/// <summary>
/// The governance API's query parameters, validated: a value that does not read is 400 <c>invalid_argument</c>
/// naming the parameter. Parameters the API does not know are ignored, as unknown body fields are.
/// </summary>
internal static class GovernanceQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    /// <summary><c>GET /api/v1/features</c>'s filters and paging: <c>feature_type</c>, <c>status</c>, <c>owner</c>, <c>tags=a,b</c>, <c>kind</c>, <c>skip</c>, <c>limit</c>.</summary>
    public static CatalogQuery List(IQueryCollection query)
    {
        var featureType = Text(query, "feature_type");
        if (featureType is not null && !Contains(FeatureJson.FeatureTypes, featureType))
        {
            throw Invalid($"feature_type: '{featureType}' is not one of {string.Join(", ", FeatureJson.FeatureTypes)}.");
        }

        LifecycleStatus? status = null;
        if (Text(query, "status") is { } statusText)
        {
            status = LifecycleStatuses.TryParse(statusText, out var parsed)
                ? parsed
                : throw Invalid($"status: '{statusText}' is not one of {string.Join(", ", FeatureJson.Statuses)}.");
        }

        CatalogEntryKind? kind = Text(query, "kind") switch
        {
            null => null,
            var k when string.Equals(k, "feature", StringComparison.OrdinalIgnoreCase) => CatalogEntryKind.Feature,
            var k when string.Equals(k, "view", StringComparison.OrdinalIgnoreCase) => CatalogEntryKind.View,
            var k => throw Invalid($"kind: '{k}' is not one of feature, view."),
        };

        return new CatalogQuery
        {
            FeatureType = featureType?.ToLowerInvariant(),
            Status = status,
            Owner = Text(query, "owner"),
            Kind = kind,
            Tags = Tags(query),
            Skip = Whole(query, "skip", 0, 0, int.MaxValue),
            Limit = Whole(query, "limit", DefaultLimit, 1, MaxLimit),
        };
    }

    /// <summary><c>recursive=true|false</c> (also 1 or 0); false when not given.</summary>
    public static bool Recursive(IQueryCollection query)
    {
        var text = Text(query, "recursive");
        return text switch
        {
            null => false,
            _ when bool.TryParse(text, out var value) => value,
            "1" => true,
            "0" => false,
            _ => throw Invalid($"recursive: '{text}' is not true or false."),
        };
    }

    /// <summary><c>target_version=X</c> of a rollback, required.</summary>
    public static SemanticVersion TargetVersion(IQueryCollection query)
    {
        var text = Text(query, "target_version") ?? throw Invalid("target_version: missing; name the version to roll back to, e.g. ?target_version=1.0.0.");
        return SemanticVersion.TryParse(text, out var version)
            ? version
            : throw Invalid($"target_version: '{text}' is not a version; use MAJOR.MINOR.PATCH such as 1.0.0.");
    }

    /// <summary><c>tags=a,b</c> (or <c>tags=a&amp;tags=b</c>): every tag must match; blanks are dropped.</summary>
    internal static IReadOnlyList<string> Tags(IQueryCollection query)
    {
        var tags = new List<string>();
        foreach (var value in query["tags"])
        {
            foreach (var tag in (value ?? "").Split(','))
            {
                var trimmed = tag.Trim();
                if (trimmed.Length > 0 && !tags.Contains(trimmed))
                {
                    tags.Add(trimmed);
                }
            }
        }

        return tags;
    }

    private static string? Text(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            throw Invalid($"{name}: given {values.Count} times; give it once.");
        }

        var text = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static int Whole(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = Text(query, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(max == int.MaxValue
                ? $"{name}: '{text}' is not a whole number of at least {min}."
                : $"{name}: '{text}' is not a whole number from {min} to {max}.");
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var v in values)
        {
            if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static GranaryException Invalid(string detail) => new(ErrorCodes.InvalidArgument, detail);
}
