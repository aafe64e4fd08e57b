using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Registry;

namespace Granary.Lineage;

/// <summary>
/// The project's lineage as OpenLineage <c>RunEvent</c>s (spec 2-0-2), for Marquez, DataHub or any OpenLineage
/// consumer to show the graph: one <c>COMPLETE</c> run per feature view (its data sources in, the view out) and per
/// feature service (the views it reads in, the service out), each view and service a dataset with a <c>schema</c>
/// facet of its fields and types. Jobs and datasets live in the namespace <c>granary.{project}</c>; datasets are named
/// <c>data_source.NAME</c>, <c>feature_view.NAME</c>, <c>feature_service.NAME</c>.
/// </summary>
/// <remarks>
/// Run ids are name-based UUIDs of the project, the job and the definition's hash: exporting the same definitions
/// again sends the same runs (a consumer updates them rather than adding new ones), and a changed definition starts
/// a new run. The event time is the clock's.
/// </remarks>
public sealed class OpenLineageExporter
{
    public const string RunEventSchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    public const string SchemaFacetUrl = "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet";

    private readonly TimeProvider _time;

    /// <param name="timeProvider">The clock of <c>eventTime</c>; the system's when null.</param>
    /// <param name="producer">The <c>producer</c> URI; Granary's (<c>urn:granary:VERSION</c>) when null.</param>
    public OpenLineageExporter(TimeProvider? timeProvider = null, string? producer = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        Producer = producer ?? $"urn:granary:{FeatureStore.Version}";
    }

    public string Producer { get; }

    /// <summary>The namespace of a project's jobs and datasets.</summary>
    public static string Namespace(string project) => $"granary.{project}";

    /// <summary>The events describing <paramref name="registry"/>'s applied definitions: views first, then services, each in name order.</summary>
    public IReadOnlyList<OpenLineageEvent> CreateEvents(RegistryContents registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var definitions = registry.Definitions;
        var space = Namespace(registry.Project);
        var time = _time.GetUtcNow().UtcDateTime;
        var events = new List<OpenLineageEvent>();

        foreach (var view in Sorted(definitions.FeatureViews))
        {
            var inputs = new List<Dataset>();
            if (view.Derived is { } derived)
            {
                // A derived view reads what its query names: the edges run from those views and sources to it.
                foreach (var name in derived.References())
                {
                    inputs.Add(definitions.FindFeatureView(name) is { } input
                        ? new Dataset($"feature_view.{name}", ViewFields(definitions, input, only: null))
                        : new Dataset($"data_source.{name}", null));
                }
            }
            else if (definitions.FindSource(view.Source) is { } source)
            {
                inputs.Add(new Dataset($"data_source.{source.Name}", null));
                var batch = source switch
                {
                    PushSource push => push.BatchSourceName,
                    StreamSource stream => stream.BatchSourceName,
                    _ => null,
                };
                if (batch is not null)
                {
                    inputs.Add(new Dataset($"data_source.{batch}", null));
                }
            }
            else
            {
                inputs.Add(new Dataset($"data_source.{view.Source}", null));
            }

            var output = new Dataset($"feature_view.{view.Name}", ViewFields(definitions, view, only: null));
            events.Add(Event(registry, ObjectKind.FeatureView, view.Name, space, time, inputs, [output]));
        }

        foreach (var service in Sorted(definitions.FeatureServices))
        {
            var byView = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var serviceFields = new List<(string Name, string Type)>();
            foreach (var reference in service.Features)
            {
                if (!byView.TryGetValue(reference.View, out var features))
                {
                    byView[reference.View] = features = new HashSet<string>(StringComparer.Ordinal);
                }

                features.Add(reference.Feature);
                var type = definitions.FindFeatureView(reference.View)?.Schema.FirstOrDefault(f => f.Name == reference.Feature)?.Type.ToString() ?? "unknown";
                serviceFields.Add((reference.ToString(), type));
            }

            var inputs = new List<Dataset>();
            foreach (var (viewName, features) in byView)
            {
                inputs.Add(new Dataset(
                    $"feature_view.{viewName}",
                    definitions.FindFeatureView(viewName) is { } view ? ViewFields(definitions, view, features) : null));
            }

            var output = new Dataset($"feature_service.{service.Name}", serviceFields);
            events.Add(Event(registry, ObjectKind.FeatureService, service.Name, space, time, inputs, [output]));
        }

        return events;
    }

    /// <summary>Writes the events one per line, as OpenLineage's file transport does.</summary>
    public static async Task WriteAsync(IReadOnlyList<OpenLineageEvent> events, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await output.WriteLineAsync(e.Json);
        }

        await output.FlushAsync(cancellationToken);
    }

    private OpenLineageEvent Event(
        RegistryContents registry, ObjectKind kind, string name, string space, DateTime time, IReadOnlyList<Dataset> inputs, IReadOnlyList<Dataset> outputs)
    {
        var jobName = $"{kind.Key()}.{name}";
        var hash = registry.Find(kind, name)?.Hash ?? "";
        var runId = DeterministicGuid.Create(DeterministicGuid.RunNamespace, $"{registry.Project}/{jobName}/{hash}");

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("eventType", "COMPLETE");
            writer.WriteString("eventTime", time);
            writer.WriteStartObject("run");
            writer.WriteString("runId", runId.ToString());
            writer.WriteEndObject();
            writer.WriteStartObject("job");
            writer.WriteString("namespace", space);
            writer.WriteString("name", jobName);
            writer.WriteEndObject();
            WriteDatasets(writer, "inputs", space, inputs);
            WriteDatasets(writer, "outputs", space, outputs);
            writer.WriteString("producer", Producer);
            writer.WriteString("schemaURL", RunEventSchemaUrl);
            writer.WriteEndObject();
        }

        return new OpenLineageEvent(jobName, runId, Encoding.UTF8.GetString(stream.ToArray()));
    }

    private void WriteDatasets(Utf8JsonWriter writer, string property, string space, IReadOnlyList<Dataset> datasets)
    {
        writer.WriteStartArray(property);
        foreach (var dataset in datasets)
        {
            writer.WriteStartObject();
            writer.WriteString("namespace", space);
            writer.WriteString("name", dataset.Name);
            writer.WriteStartObject("facets");
            if (dataset.Fields is { } fields)
            {
                writer.WriteStartObject("schema");
                writer.WriteString("_producer", Producer);
                writer.WriteString("_schemaURL", SchemaFacetUrl);
                writer.WriteStartArray("fields");
                foreach (var (fieldName, type) in fields)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", fieldName);
                    writer.WriteString("type", type);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // The view's join keys (typed by their entity) then its features, or only the features in 'only'.
    private static List<(string Name, string Type)> ViewFields(DefinitionSet definitions, FeatureView view, HashSet<string>? only)
    {
        var fields = new List<(string Name, string Type)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entityName in view.Entities)
        {
            if (definitions.FindEntity(entityName) is not { } entity)
            {
                continue;
            }

            foreach (var key in entity.JoinKeys)
            {
                if (keys.Add(key) && only is null)
                {
                    fields.Add((key, entity.ValueType.ToString()));
                }
            }
        }

        foreach (var field in view.FeaturesExcluding(keys))
        {
            if (only is null || only.Contains(field.Name))
            {
                fields.Add((field.Name, field.Type.ToString()));
            }
        }

        return fields;
    }

    private static List<T> Sorted<T>(IReadOnlyList<T> definitions)
        where T : Definition
    {
        var sorted = new List<T>(definitions);
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sorted;
    }

    private sealed record Dataset(string Name, IReadOnlyList<(string Name, string Type)>? Fields);
}
