using Granary.Core.Model;

namespace Granary.Core.Sources;

/// <summary>
/// Which batch source a source name leads to: a batch source itself, or a push or stream source's <c>batch_source</c>
/// (where its rows or events are logged and its history read). The one rule that validation, online reads, historical
/// retrieval, push and materialization all follow, so that they cannot disagree about where a view's rows live.
/// </summary>
internal static class BatchSources
{
    /// <summary>
    /// The batch source that <paramref name="sourceName"/> leads to in <paramref name="definitions"/>, or null with
    /// <paramref name="problem"/> saying why (a sentence naming the source at fault).
    /// </summary>
    public static BatchSource? Resolve(DefinitionSet definitions, string sourceName, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        switch (definitions.FindSource(sourceName))
        {
            case BatchSource batch:
                problem = null;
                return batch;
            case PushSource push:
                return OfPushSource(definitions, push, out problem);
            case StreamSource stream:
                return OfLoggingSource(definitions, stream, stream.BatchSourceName, out problem);
            default:
                problem = $"Source '{sourceName}' is not in the registry.";
                return null;
        }
    }

    /// <summary>The batch source <paramref name="view"/> reads, or null with <paramref name="problem"/> saying why.</summary>
    public static BatchSource? OfView(DefinitionSet definitions, FeatureView view, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Derived is not null)
        {
            return DerivedSources.Of(definitions, view, out problem);
        }

        var source = Resolve(definitions, view.Source, out problem);
        if (source is null && definitions.FindSource(view.Source) is null)
        {
            problem = $"Feature view '{view.Name}' reads source '{view.Source}', which is not in the registry.";
        }

        return source;
    }

    /// <summary>The batch source that <paramref name="push"/> logs to, or null with <paramref name="problem"/> saying why.</summary>
    public static BatchSource? OfPushSource(DefinitionSet definitions, PushSource push, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(push);
        return OfLoggingSource(definitions, push, push.BatchSourceName, out problem);
    }

    // A push or stream source: both log what they receive to their batch_source and read their history from it.
    private static BatchSource? OfLoggingSource(DefinitionSet definitions, DataSource source, string batchSourceName, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var kind = source is PushSource ? "Push" : $"The {source.SourceType}";
        switch (definitions.FindSource(batchSourceName))
        {
            case BatchSource batch:
                problem = null;
                return batch;
            case { } other:
                problem = $"{kind} source '{source.Name}' names batch_source '{other.Name}', a {other.SourceType} source; it must be a file or postgres source.";
                return null;
            default:
                problem = $"{kind} source '{source.Name}' names batch_source '{batchSourceName}', which is not in the registry.";
                return null;
        }
    }
}
