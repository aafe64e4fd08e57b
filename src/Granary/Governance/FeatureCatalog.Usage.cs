using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Catalog;

namespace Granary.Governance;

// Usage: one recorded use at a time (the API), and what the recorded uses add up to.
public sealed partial class FeatureCatalog
{
    /// <summary>Records one use at once (<c>POST /api/v1/features/usage</c>); the version defaults to the entry's current one.</summary>
    public async Task<FeatureUsage> RecordUsageAsync(FeatureUsageRecord usage, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (string.IsNullOrWhiteSpace(usage.UsedByModel))
        {
            throw CatalogFields.Invalid("used_by_model", "expected the model's name");
        }

        CheckFinite(usage.FeatureImportance, "feature_importance");
        CheckFinite(usage.CorrelationWithTarget, "correlation_with_target");
        if (usage.CorrelationWithTarget is < -1 or > 1)
        {
            throw CatalogFields.Invalid("correlation_with_target", $"expected a value from -1 to 1, got {usage.CorrelationWithTarget}");
        }

        CheckFinite(usage.ExecutionDurationMs, "execution_duration_ms");
        if (usage.ExecutionDurationMs < 0)
        {
            throw CatalogFields.Invalid("execution_duration_ms", $"expected 0 or more, got {usage.ExecutionDurationMs}");
        }

        var environment = CatalogFields.EnvironmentOf(usage.Environment ?? _defaultEnvironment);
        var entry = await GetAsync(usage.FeatureName, ct);
        var version = entry.CurrentVersion;
        if (usage.FeatureVersion is { } text)
        {
            if (!SemanticVersion.TryParse(text, out version))
            {
                throw CatalogFields.Invalid("feature_version", $"'{text}' is not a version; expected MAJOR.MINOR.PATCH such as 1.2.0");
            }

            if (FindVersion(await _store.ListVersionsAsync(Project, entry.Name, ct), version) is null)
            {
                throw new GranaryException(ErrorCodes.NotFound, $"feature_version: '{entry.Name}' has no version {version}.");
            }
        }

        var row = new FeatureUsage(Project, entry.Name, version.ToString(), usage.UsedByModel.Trim(), environment, (usage.UsageTimestamp ?? Now).ToUniversalTime())
        {
            ModelVersion = usage.ModelVersion,
            FeatureImportance = usage.FeatureImportance,
            CorrelationWithTarget = usage.CorrelationWithTarget,
            ExecutionId = usage.ExecutionId,
            ExecutionDurationMs = usage.ExecutionDurationMs,
        };
        await _store.RecordUsageAsync([row], ct);
        return row;
    }

    /// <summary>What the entry's usage adds up to: total uses, distinct models and environments, mean importance and correlation, last use.</summary>
    public async Task<FeatureUsageStatistics> GetStatisticsAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        return await _store.GetUsageStatisticsAsync(Project, entry.Name, ct);
    }

    private static void CheckFinite(double? value, string field)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw CatalogFields.Invalid(field, "expected a finite number");
        }
    }
}
