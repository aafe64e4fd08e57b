using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Providers;
using Granary.Drift;
using Granary.Monitoring;
using Granary.Offline;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.Quality.Drift;
using Granary.Quality.Profiles;
using Granary.Registry.Storage;
using Granary.Resolution;

namespace Granary;

// Drift: a view's current period against one baseline (a period, a stored profile or a saved dataset).
public sealed partial class FeatureStore
{
    /// <summary>
    /// Compares the features of <see cref="DriftRequest.View"/> in the current period with the request's one baseline:
    /// per feature the measures of docs/quality.md ("Drift"), a severity by the field's <c>drift:</c> thresholds and
    /// recommendations. Samples are drawn inside the offline engine (<see cref="IDriftSampleReader"/>); with
    /// <see cref="DriftRequest.CurrentSource"/> <see cref="DriftSource.Serving"/> the current one is drawn from the
    /// values logged as served (<see cref="IServingLog"/>).
    /// </summary>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.InvalidArgument"/> for no baseline, more than one, or a period that ends before it starts;
    /// <see cref="ErrorCodes.NotFound"/> for an unknown view, feature, profile or dataset, or no logged served rows in the
    /// current period of a serving check.
    /// </exception>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public async Task<DriftReport> DriftAsync(DriftRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var baselines = (request.BaselineStart is not null || request.BaselineEnd is not null ? 1 : 0)
            + (request.BaselineProfile is not null ? 1 : 0) + (request.BaselineDataset is not null ? 1 : 0);
        if (baselines != 1)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, baselines == 0
                ? "A drift check needs a baseline: a period (baseline start and end), a stored profile id or a saved dataset name."
                : "A drift check compares with one baseline: give a period (baseline start and end), a stored profile id or a saved dataset name, not several.");
        }

        CheckPeriod(request.CurrentStart, request.CurrentEnd, "current");
        var registry = await GetRegistryAsync(cancellationToken);
        var resolution = RegistryResolution.Of(registry);
        var plan = resolution.View(request.View);
        if (plan.View.Stream is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"'{request.View}' is a stream feature view: its features are aggregated when read, so they have no stored values to check for drift.");
        }

        var fields = DriftFields(plan.View, plan.Schema.Features, request.Features);
        var names = fields.ConvertAll(f => f.Name);
        var view = new PointInTimeView(plan.View, plan.RequireSource(), plan.JoinKeys, names);
        var reader = Offline.Require<IDriftSampleReader>("sample a view's rows for drift");
        var current = request.CurrentSource switch
        {
            DriftSource.Offline => await reader.ReadDriftSamplesAsync(new DriftSampleRequest(view, request.CurrentStart, request.CurrentEnd, Config.RepositoryRoot), cancellationToken),
            DriftSource.Serving => await ServedDriftSamples.ReadAsync(
                    Offline.Require<IServingLog>("read the serving log"), ServingLogTables.For(Project, Config.RepositoryRoot, plan), fields, request.CurrentStart, request.CurrentEnd, cancellationToken)
                ?? throw new GranaryException(ErrorCodes.NotFound, $"No served rows of '{request.View}' are logged from {Instant(request.CurrentStart)} to {Instant(request.CurrentEnd)}: the serving log keeps only rows sampled while monitoring.serving_sample_rate in granary.yaml is above 0."),
            _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"The current source {request.CurrentSource} is not one of offline or serving."),
        };

        string baselineText;
        IReadOnlyList<DriftSample> baseline;
        if (request.BaselineProfile is { } id)
        {
            (baselineText, baseline) = await ProfileBaselineAsync(request.View, id, fields, cancellationToken);
        }
        else if (request.BaselineDataset is { } dataset)
        {
            (baselineText, baseline) = await DatasetBaselineAsync(plan.View.Name, dataset, fields, cancellationToken);
        }
        else
        {
            if (request.BaselineStart is not { } start || request.BaselineEnd is not { } end)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, "A baseline period needs both its start and its end.");
            }

            CheckPeriod(start, end, "baseline");
            var read = await reader.ReadDriftSamplesAsync(new DriftSampleRequest(view, start, end, Config.RepositoryRoot), cancellationToken);
            baselineText = $"{Instant(start)} to {Instant(end)}";
            baseline = Array.ConvertAll([.. read], ToSample);
        }

        var drifts = new FeatureDrift[fields.Count];
        for (var i = 0; i < drifts.Length; i++)
        {
            drifts[i] = DriftAnalyzer.Compare(fields[i].Name, baseline[i], ToSample(current[i]), fields[i].Drift ?? DriftThresholds.Default);
        }

        return new DriftReport(plan.View.Name, baselineText, drifts);
    }

    private static void CheckPeriod(DateTimeOffset start, DateTimeOffset end, string which)
    {
        if (end <= start)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The {which} period must end after it starts; it runs from {Instant(start)} to {Instant(end)}.");
        }
    }

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // The fields checked: those asked for, each a numeric, string or boolean feature, or by default all of those.
    private static List<Field> DriftFields(FeatureView view, IReadOnlyList<Field> features, IReadOnlyList<string> asked)
    {
        if (asked.Count == 0)
        {
            return [.. features.Where(f => ProfileKinds.Of(f.Type) != ProfileKind.Other)];
        }

        var fields = new List<Field>(asked.Count);
        foreach (var name in asked)
        {
            var field = features.FirstOrDefault(f => f.Name == name);
            if (field is null)
            {
                var hint = Suggestions.Closest(name, features.Select(f => f.Name)) is { } s ? $" Did you mean '{s}'?" : "";
                throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{view.Name}' has no feature '{name}'.{hint}");
            }

            if (ProfileKinds.Of(field.Type) == ProfileKind.Other)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature '{name}' of '{view.Name}' is {field.Type}: drift compares numbers, strings and booleans only.");
            }

            if (!fields.Contains(field))
            {
                fields.Add(field);
            }
        }

        return fields;
    }

    private async Task<(string, IReadOnlyList<DriftSample>)> ProfileBaselineAsync(string viewName, string id, List<Field> fields, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        var profile = await _store.GetProfileAsync(Project, id, cancellationToken)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"No stored profile '{id}' in project '{Project}'; 'granary profile list {viewName}' lists the view's profiles.");
        if (profile.View != viewName)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Profile '{id}' is of feature view '{profile.View}', not of '{viewName}'.");
        }

        var samples = new DriftSample[fields.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            var name = fields[i].Name;
            var feature = profile.Features.FirstOrDefault(f => f.Name == name)
                ?? throw new GranaryException(ErrorCodes.NotFound, $"Profile '{id}' of '{viewName}' has no feature '{name}' (it was computed before the feature was added).");
            if (feature.Kind != ProfileKinds.Of(fields[i].Type) || feature.Baseline is not { } kept)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Profile '{id}' keeps no {(feature.Baseline is null ? "baseline" : "baseline of the feature's type")} for '{name}': its type changed since, or the profile was stored without baselines.");
            }

            samples[i] = feature.Kind == ProfileKind.Numeric
                ? DriftSample.Numeric([.. kept.Sample])
                : DriftSample.Categorical(ProfileCategories(kept.Categories, feature.Count - feature.NullCount));
        }

        return ($"profile {id} ({Instant(profile.Start)} to {Instant(profile.End)})", samples);
    }

    // A stored profile keeps its most frequent values; the rest are counted as one category, as a read sample counts them.
    private static Dictionary<string, long> ProfileCategories(IReadOnlyList<CategoryCount> kept, long nonNull)
    {
        var counts = new Dictionary<string, long>(kept.Count + 1, StringComparer.Ordinal);
        long total = 0;
        foreach (var category in kept)
        {
            counts[category.Value] = category.Count;
            total += category.Count;
        }

        if (nonNull > total)
        {
            counts[DriftSampling.OtherCategory] = counts.GetValueOrDefault(DriftSampling.OtherCategory) + nonNull - total;
        }

        return counts;
    }

    private async Task<(string, IReadOnlyList<DriftSample>)> DatasetBaselineAsync(string viewName, string name, List<Field> fields, CancellationToken cancellationToken)
    {
        var dataset = await GetDatasetAsync(name, cancellationToken)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"No saved dataset named '{name}' in project '{Project}'; 'granary saved-datasets list' lists them.");
        var columns = new string[fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = DatasetColumn(dataset, viewName, fields[i].Name)
                ?? throw new GranaryException(ErrorCodes.NotFound, $"Saved dataset '{name}' holds no feature '{viewName}:{fields[i].Name}'; it holds {string.Join(", ", dataset.Features)}.");
        }

        if (!File.Exists(dataset.Output))
        {
            throw new GranaryException(ErrorCodes.NotFound, $"The rows of saved dataset '{name}' are gone: {dataset.Output} no longer exists.");
        }

        var read = await DataFiles.Default.ReadDriftSamplesAsync(
            dataset.Output,
            FileSource.FormatOf(dataset.Output) ?? FileFormat.Parquet,
            fields.ConvertAll(f => f.Name),
            columns,
            fields.ConvertAll(f => ProfileKinds.Of(f.Type)),
            ProfileLimits.SampleSize,
            DriftSampling.DefaultSeed,
            cancellationToken);
        return ($"saved dataset {name} ({dataset.RowCount:N0} rows)", Array.ConvertAll(read, ToSample));
    }

    // The dataset's column of view:feature (or view@vN:feature): named as Feast names it, view__feature with full names.
    private static string? DatasetColumn(SavedDataset dataset, string viewName, string feature)
    {
        foreach (var reference in dataset.Features)
        {
            var colon = reference.LastIndexOf(':');
            if (colon <= 0 || reference[(colon + 1)..] != feature)
            {
                continue;
            }

            var qualified = reference[..colon];
            var at = qualified.IndexOf('@', StringComparison.Ordinal);
            if ((at < 0 ? qualified : qualified[..at]) == viewName)
            {
                return dataset.FullFeatureNames ? $"{qualified}__{feature}" : feature;
            }
        }

        return null;
    }

    private static DriftSample ToSample(DriftSampleValues values)
    {
        if (values.Kind == ProfileKind.Numeric)
        {
            return DriftSample.Numeric([.. values.Values]);
        }

        var counts = new Dictionary<string, long>(values.Categories.Count, StringComparer.Ordinal);
        foreach (var category in values.Categories)
        {
            counts[category.Value] = category.Count;
        }

        return DriftSample.Categorical(counts);
    }
}
