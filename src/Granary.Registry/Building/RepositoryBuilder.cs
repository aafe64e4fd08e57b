using System.Runtime.CompilerServices;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;

namespace Granary.Registry.Building;

/// <summary>
/// Code-first definitions, for teams who prefer C# to YAML. Produces exactly what the YAML loader produces for
/// the same objects (same canonical form, so plan shows no change when a team switches), and records the calling
/// file and line of each object so validation errors point into the C# source.
/// </summary>
/// <example>
/// <code>
/// var definitions = new RepositoryBuilder()
///     .Entity("user", e => e.JoinKeys("user_id").ValueType(FeatureType.Int64))
///     .FileSource("user_activity_source", "data/user_activity.parquet", s => s.CreatedTimestampColumn("created"))
///     .FeatureView("user_activity", v => v.Entities("user").Source("user_activity_source")
///         .Ttl(TimeSpan.FromDays(2)).Feature("ctr_7d", FeatureType.Float64))
///     .FeatureService("ctr_model_v1", ["user_activity:ctr_7d"])
///     .Alert("activity_stale", a => a.Views("user_activity").WhenStale().Webhook("${ALERT_HOOK}"))
///     .Build();
/// </code>
/// </example>
public sealed class RepositoryBuilder
{
    private readonly List<Entity> _entities = [];
    private readonly List<DataSource> _sources = [];
    private readonly List<FeatureView> _views = [];
    private readonly List<FeatureService> _services = [];
    private readonly List<Alert> _alerts = [];
    private readonly List<OnDemandFeatureView> _onDemandViews = [];
    private readonly List<Experiment> _experiments = [];

    /// <summary>Where each object was defined (the caller's file and line).</summary>
    public DefinitionLocations Locations { get; } = new();

    public RepositoryBuilder Entity(string name, Action<EntityBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var builder = new EntityBuilder();
        configure?.Invoke(builder);
        return Add(_entities, builder.Build(name), file, line);
    }

    public RepositoryBuilder FileSource(string name, string path, Action<BatchSourceBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var builder = new BatchSourceBuilder();
        configure?.Invoke(builder);
        var format = Core.Model.FileSource.FormatOf(path)
            ?? throw new GranaryException(ErrorCodes.InvalidDefinition, $"{new SourceLocation(file, line)}: the path of source '{name}' must end in .parquet or .csv.");
        return Add(_sources, builder.Apply(new FileSource { Name = name, Path = path, Format = format, TimestampField = "" }), file, line);
    }

    /// <summary>A PostgreSQL source over a table (optionally schema-qualified).</summary>
    public RepositoryBuilder PostgresTable(string name, string table, Action<BatchSourceBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        PostgresSource(name, table, null, configure, file, line);

    /// <summary>A PostgreSQL source over a query.</summary>
    public RepositoryBuilder PostgresQuery(string name, string query, Action<BatchSourceBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        PostgresSource(name, null, query, configure, file, line);

    public RepositoryBuilder PushSource(string name, string batchSource, string description = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Add(_sources, new PushSource { Name = name, BatchSourceName = batchSource, Description = description }, file, line);

    /// <summary>A Redis stream read through consumer group <paramref name="group"/>; its events are logged to <paramref name="batchSource"/>.</summary>
    public RepositoryBuilder RedisStreamSource(
        string name, string connection, string stream, string group, string batchSource,
        Action<StreamSourceBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var builder = new StreamSourceBuilder();
        configure?.Invoke(builder);
        return Add(_sources, Apply(builder, new RedisStreamSource { Name = name, Connection = connection, Stream = stream, Group = group, BatchSourceName = batchSource }), file, line);
    }

    /// <summary>A NATS JetStream stream read through durable consumer <paramref name="durable"/>; its events are logged to <paramref name="batchSource"/>.</summary>
    public RepositoryBuilder NatsSource(
        string name, string url, string stream, string subject, string durable, string batchSource,
        Action<StreamSourceBuilder>? configure = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var builder = new StreamSourceBuilder();
        configure?.Invoke(builder);
        return Add(_sources, Apply(builder, new NatsSource { Name = name, Url = url, Stream = stream, Subject = subject, Durable = durable, BatchSourceName = batchSource }), file, line);
    }

    public RepositoryBuilder FeatureView(string name, Action<FeatureViewBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var builder = new FeatureViewBuilder();
        configure(builder);
        var view = builder.Build(name);
        CheckGovernedKeys(view, file, line);
        return Add(_views, view, file, line);
    }

    /// <summary>A derived feature view: a view whose rows its <see cref="FeatureViewBuilder.Query"/> computes from other views and sources.</summary>
    /// <exception cref="ArgumentException">The view sets no query, or sets a source as well.</exception>
    public RepositoryBuilder DerivedFeatureView(string name, Action<FeatureViewBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new FeatureViewBuilder();
        configure(builder);
        if (!builder.IsDerived || builder.SourceName.Length > 0)
        {
            throw new ArgumentException($"Derived feature view '{name}' needs .Query(sql) and no .Source(...): it reads what its query names as {{{{ name }}}}.", nameof(configure));
        }

        var view = builder.Build(name);
        CheckGovernedKeys(view, file, line);
        return Add(_views, view, file, line);
    }

    /// <summary>A stream feature view: windowed aggregations of a push, redis_stream or nats source's events.</summary>
    public RepositoryBuilder StreamFeatureView(string name, Action<StreamFeatureViewBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new StreamFeatureViewBuilder();
        configure(builder);
        var view = builder.Build(name);
        CheckGovernedKeys(view, file, line);
        return Add(_views, view, file, line);
    }

    /// <summary>A feature service over <c>view:feature</c> references.</summary>
    public RepositoryBuilder FeatureService(string name, IEnumerable<string> features, string description = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var references = new List<FeatureReference>();
        foreach (var text in features)
        {
            references.Add(FeatureReference.TryParse(text, out var r)
                ? r
                : throw new GranaryException(ErrorCodes.InvalidDefinition, $"{new SourceLocation(file, line)}: invalid feature reference '{text}' in feature service '{name}'; expected view:feature."));
        }

        return Add(_services, new FeatureService { Name = name, Features = references, Description = description }, file, line);
    }

    /// <summary>An alert: one condition over some views (all by default), fired to a webhook.</summary>
    /// <example><c>.Alert("stats_stale", a => a.Views("user_stats").WhenStale().Webhook("${ALERT_HOOK}"))</c></example>
    public RepositoryBuilder Alert(string name, Action<AlertBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new AlertBuilder();
        configure(builder);
        var at = new SourceLocation(file, line);
        return Add(_alerts, builder.Build(name, at), file, line);
    }

    /// <summary>An A/B test of versions of one feature view: variants in order, each a version and a share (summing to 1).</summary>
    /// <example><c>.Experiment("ranker_test", "user_stats", x => x.Variant("control", "v1", 0.5).Variant("treatment", "v2", 0.5))</c></example>
    public RepositoryBuilder Experiment(string name, string featureView, Action<ExperimentBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ExperimentBuilder();
        configure(builder);
        return Add(_experiments, builder.Build(name, featureView, new SourceLocation(file, line)), file, line);
    }

    /// <summary>A feature service over a recipe's features (as <c>feature_services: [{name, recipe}]</c> declares one in YAML).</summary>
    public RepositoryBuilder FeatureService(string name, Recipe recipe, string description = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return Add(_services, new FeatureService { Name = name, Features = recipe.References(), Description = description.Length > 0 ? description : recipe.Description }, file, line);
    }

    /// <summary>An on-demand feature view: features computed at read time from request data and other views' features.</summary>
    public RepositoryBuilder OnDemandFeatureView(string name, Action<OnDemandFeatureViewBuilder> configure, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new OnDemandFeatureViewBuilder();
        configure(builder);
        return Add(_onDemandViews, builder.Build(name), file, line);
    }

    // The same checks (and words) as the YAML loader's, thrown at once with the caller's line.
    private static void CheckGovernedKeys(FeatureView view, string file, int line)
    {
        var problems = new List<string>();
        var label = $"feature view '{view.Name}'";
        if (view.Category is { } category && !FeatureCategories.IsKnown(category))
        {
            problems.Add($"Unknown feature_type '{category}' for {label}; expected one of: {string.Join(", ", FeatureCategories.All)}.");
        }

        foreach (var field in view.Schema)
        {
            var fieldLabel = $"field '{field.Name}' of {label}";
            if (field.Category is { } c && !FeatureCategories.IsKnown(c))
            {
                problems.Add($"Unknown feature_type '{c}' for {fieldLabel}; expected one of: {string.Join(", ", FeatureCategories.All)}.");
            }

            if (field.Transformation is { TransformationType: "" or null })
            {
                problems.Add($"The transformation of {fieldLabel} needs 'transformation_type'.");
            }

            for (var i = 0; i < field.Validation.Count; i++)
            {
                if (ValidationRuleKinds.Check(field.Validation[i], $"validation[{i}] of {fieldLabel}") is { } problem)
                {
                    problems.Add(problem);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"{new SourceLocation(file, line)}: {string.Join(" ", problems)}");
        }
    }

    private RepositoryBuilder PostgresSource(string name, string? table, string? query, Action<BatchSourceBuilder>? configure, string file, int line)
    {
        var builder = new BatchSourceBuilder();
        configure?.Invoke(builder);
        return Add(_sources, builder.Apply(new PostgresSource { Name = name, Table = table, Query = query, TimestampField = "" }), file, line);
    }

    private static T Apply<T>(StreamSourceBuilder builder, T source)
        where T : StreamSource => (T)(source with
        {
            Description = builder.DescriptionText,
            Owner = builder.OwnerText,
            Tags = builder.TagMap,
            TimestampField = builder.TimestampFieldName,
        });

    public DefinitionSet Build() => new()
    {
        Entities = [.. _entities],
        Sources = [.. _sources],
        FeatureViews = [.. _views],
        FeatureServices = [.. _services],
        Alerts = [.. _alerts],
        OnDemandFeatureViews = [.. _onDemandViews],
        Experiments = [.. _experiments],
    };

    private RepositoryBuilder Add<T>(List<T> list, T definition, string file, int line)
        where T : Definition
    {
        list.Add(definition);
        Locations.Record(definition, "", new SourceLocation(file, line));
        return this;
    }
}
