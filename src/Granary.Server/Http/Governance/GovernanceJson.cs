using System.Text.Json;
using Granary.Contracts.Http.Governance;
using Granary.Governance;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Server.Http.Governance;

/// <summary>
/// Writes the governance API's answers from the catalog's records, by the field names of their definitions in
/// Granary.Contracts (<see cref="FeatureJson"/>, <see cref="FeatureVersionJson"/>, ...). The CLI's <c>--format json</c>
/// writes through these too, so the command line and the API answer the same JSON.
/// </summary>
internal static class GovernanceJson
{
    public static void WriteEntry(Utf8JsonWriter writer, CatalogEntry entry, IReadOnlyList<string> downstream)
    {
        var metadata = entry.Metadata;
        writer.WriteStartObject();
        writer.WriteString(FeatureJson.FeatureName.EncodedName, entry.Name);
        writer.WriteString(FeatureJson.Kind.EncodedName, entry.Kind == CatalogEntryKind.View ? "view" : "feature");
        WriteStringOrNull(writer, FeatureJson.FeatureType.EncodedName, metadata.FeatureType);
        WriteStringOrNull(writer, FeatureJson.DataType.EncodedName, metadata.DataType);
        writer.WriteString(FeatureJson.Description.EncodedName, metadata.Description);
        writer.WriteString(FeatureJson.Owner.EncodedName, metadata.Owner);
        WriteStrings(writer, FeatureJson.Tags.EncodedName, metadata.Tags);
        writer.WriteString(FeatureJson.Status.EncodedName, entry.Status.Key());
        WriteTransformation(writer, FeatureJson.Transformation.EncodedName, metadata.Transformation);
        WriteRules(writer, FeatureJson.ValidationRules.EncodedName, metadata.ValidationRules);
        WriteStrings(writer, FeatureJson.UpstreamFeatures.EncodedName, metadata.UpstreamFeatures);
        WriteStrings(writer, FeatureJson.DownstreamFeatures.EncodedName, downstream);
        writer.WriteNumber(FeatureJson.UsageCount.EncodedName, entry.UsageCount);
        WriteTime(writer, FeatureJson.LastUsedAt.EncodedName, entry.LastUsedAt);
        WriteTime(writer, FeatureJson.CreatedAt.EncodedName, entry.CreatedAt);
        WriteTime(writer, FeatureJson.UpdatedAt.EncodedName, entry.UpdatedAt);
        WriteTime(writer, FeatureJson.DeprecatedAt.EncodedName, entry.DeprecatedAt);
        writer.WriteString(FeatureJson.CurrentVersion.EncodedName, entry.CurrentVersion.ToString());
        writer.WriteEndObject();
    }

    /// <summary><c>{"features": [...], "total": N}</c>; <paramref name="downstream"/> gives each entry's direct dependents.</summary>
    public static void WritePage(Utf8JsonWriter writer, CatalogPage page, Func<CatalogEntry, IReadOnlyList<string>> downstream)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(FeatureJson.Features.EncodedName);
        foreach (var entry in page.Entries)
        {
            WriteEntry(writer, entry, downstream(entry));
        }

        writer.WriteEndArray();
        writer.WriteNumber(FeatureJson.Total.EncodedName, page.Total);
        writer.WriteEndObject();
    }

    public static void WriteVersion(Utf8JsonWriter writer, CatalogVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString(FeatureVersionJson.FeatureName.EncodedName, version.Name);
        writer.WriteString(FeatureVersionJson.Version.EncodedName, version.Version.ToString());
        writer.WriteString(FeatureVersionJson.Changelog.EncodedName, version.Changelog);
        WriteStrings(writer, FeatureVersionJson.BreakingChanges.EncodedName, version.BreakingChanges);
        WriteTransformation(writer, FeatureVersionJson.TransformationSnapshot.EncodedName, version.TransformationSnapshot);
        WriteRules(writer, FeatureVersionJson.ValidationSnapshot.EncodedName, version.ValidationSnapshot);
        writer.WriteString(FeatureVersionJson.CreatedBy.EncodedName, version.CreatedBy);
        WriteTime(writer, FeatureVersionJson.CreatedAt.EncodedName, version.CreatedAt);
        writer.WriteBoolean(FeatureVersionJson.IsRolledBack.EncodedName, version.IsRolledBack);
        WriteTime(writer, FeatureVersionJson.RolledBackAt.EncodedName, version.RolledBackAt);
        WriteStringOrNull(writer, FeatureVersionJson.RestoredFrom.EncodedName, version.RestoredFrom?.ToString());
        writer.WriteBoolean(FeatureVersionJson.Promoted.EncodedName, version.Promoted);
        writer.WriteEndObject();
    }

    /// <summary><c>{"versions": [...], "total": N}</c>, in the order given (newest first).</summary>
    public static void WriteVersions(Utf8JsonWriter writer, IReadOnlyList<CatalogVersion> versions)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(FeatureVersionJson.Versions.EncodedName);
        foreach (var version in versions)
        {
            WriteVersion(writer, version);
        }

        writer.WriteEndArray();
        writer.WriteNumber(FeatureVersionJson.Total.EncodedName, versions.Count);
        writer.WriteEndObject();
    }

    public static void WriteStatistics(Utf8JsonWriter writer, FeatureUsageStatistics statistics)
    {
        writer.WriteStartObject();
        writer.WriteString(FeatureStatisticsJson.FeatureName.EncodedName, statistics.FeatureName);
        writer.WriteNumber(FeatureStatisticsJson.TotalUsage.EncodedName, statistics.TotalUsage);
        writer.WriteNumber(FeatureStatisticsJson.UniqueModels.EncodedName, statistics.UniqueModels);
        WriteStrings(writer, FeatureStatisticsJson.Environments.EncodedName, statistics.Environments);
        WriteNumberOrNull(writer, FeatureStatisticsJson.AvgImportance.EncodedName, statistics.AvgImportance);
        WriteNumberOrNull(writer, FeatureStatisticsJson.AvgCorrelation.EncodedName, statistics.AvgCorrelation);
        WriteTime(writer, FeatureStatisticsJson.LastUsedAt.EncodedName, statistics.LastUsedAt);
        writer.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter writer, FeatureUsage usage)
    {
        writer.WriteStartObject();
        writer.WriteString(FeatureUsageJson.FeatureName.EncodedName, usage.FeatureName);
        writer.WriteString(FeatureUsageJson.FeatureVersion.EncodedName, usage.FeatureVersion);
        writer.WriteString(FeatureUsageJson.UsedByModel.EncodedName, usage.UsedByModel);
        WriteStringOrNull(writer, FeatureUsageJson.ModelVersion.EncodedName, usage.ModelVersion);
        writer.WriteString(FeatureUsageJson.Environment.EncodedName, usage.Environment);
        WriteNumberOrNull(writer, FeatureUsageJson.FeatureImportance.EncodedName, usage.FeatureImportance);
        WriteNumberOrNull(writer, FeatureUsageJson.CorrelationWithTarget.EncodedName, usage.CorrelationWithTarget);
        WriteTime(writer, FeatureUsageJson.UsageTimestamp.EncodedName, usage.UsageTimestamp);
        WriteStringOrNull(writer, FeatureUsageJson.ExecutionId.EncodedName, usage.ExecutionId);
        WriteNumberOrNull(writer, FeatureUsageJson.ExecutionDurationMs.EncodedName, usage.ExecutionDurationMs);
        writer.WriteEndObject();
    }

    public static void WriteImpact(Utf8JsonWriter writer, FeatureImpact impact)
    {
        writer.WriteStartObject();
        WriteStrings(writer, FeatureImpactJson.FeatureServices.EncodedName, impact.FeatureServices);
        WriteStrings(writer, FeatureImpactJson.Models.EncodedName, impact.Models);
        writer.WriteEndObject();
    }

    public static void WriteLineage(Utf8JsonWriter writer, FeatureLineage lineage)
    {
        writer.WriteStartObject();
        writer.WriteString(FeatureLineageJson.FeatureName.EncodedName, lineage.FeatureName);
        writer.WriteString(FeatureLineageJson.CurrentVersion.EncodedName, lineage.CurrentVersion.ToString());
        WriteStrings(writer, FeatureLineageJson.UpstreamFeatures.EncodedName, lineage.UpstreamFeatures);
        WriteStrings(writer, FeatureLineageJson.DownstreamFeatures.EncodedName, lineage.DownstreamFeatures);
        WriteStrings(writer, FeatureLineageJson.AllUpstream.EncodedName, lineage.AllUpstream);
        WriteStrings(writer, FeatureLineageJson.AllDownstream.EncodedName, lineage.AllDownstream);
        writer.WriteNumber(FeatureLineageJson.DirectDependentsCount.EncodedName, lineage.DirectDependentsCount);
        writer.WriteNumber(FeatureLineageJson.TotalDependentsCount.EncodedName, lineage.TotalDependentsCount);
        WriteNodes(writer, FeatureLineageJson.Upstream.EncodedName, lineage.Upstream);
        WriteNodes(writer, FeatureLineageJson.Downstream.EncodedName, lineage.Downstream);
        writer.WriteEndObject();
    }

    private static void WriteNodes(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<LineageNode> nodes)
    {
        writer.WriteStartArray(name);
        foreach (var node in nodes)
        {
            writer.WriteStartObject();
            writer.WriteString(FeatureLineageJson.NodeKind.EncodedName, node.Kind.Key());
            writer.WriteString(FeatureLineageJson.NodeName.EncodedName, node.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    internal static void WriteTransformation(Utf8JsonWriter writer, JsonEncodedText name, FeatureTransformation? transformation)
    {
        if (transformation is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString(TransformationJson.TransformationType.EncodedName, transformation.TransformationType);
        writer.WriteString(TransformationJson.Code.EncodedName, transformation.Code);
        WriteParameters(writer, TransformationJson.Parameters.EncodedName, transformation.Parameters);
        writer.WriteEndObject();
    }

    internal static void WriteRules(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<CatalogValidationRule> rules)
    {
        writer.WriteStartArray(name);
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString(ValidationRuleJson.RuleType.EncodedName, rule.RuleType);
            WriteParameters(writer, ValidationRuleJson.Parameters.EncodedName, rule.Parameters);
            writer.WriteBoolean(ValidationRuleJson.IsBlocking.EncodedName, rule.IsBlocking);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    internal static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    internal static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value.UtcDateTime);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void WriteStringOrNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // Ordered by name, so the same parameters always answer the same bytes.
    private static void WriteParameters(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyDictionary<string, JsonElement> parameters)
    {
        writer.WriteStartObject(name);
        var names = new List<string>(parameters.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var key in names)
        {
            writer.WritePropertyName(key);
            parameters[key].WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
