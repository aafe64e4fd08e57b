using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Monitoring;
using Granary.Online;
using Granary.Quality.Freshness;

namespace Granary;

// Freshness: how recent each view's newest event is against its expectation (docs/quality.md, "Freshness").
public sealed partial class FeatureStore
{
    /// <summary>
    /// Every feature view's freshness, in name order: the newest event time materialized, pushed or written for it
    /// (for a stream feature view, the newest event its source has ingested), its age by the store's clock and its
    /// status against the view's <c>freshness</c> (<see cref="FreshnessExpectation.Default"/> when it declares none).
    /// This process's own writes are recorded first, so they count.
    /// </summary>
    /// <exception cref="Core.Errors.GranaryException">The registry or, for stream views, the online store is unavailable.</exception>
    public async Task<IReadOnlyList<ViewFreshness>> GetFreshnessAsync(CancellationToken cancellationToken = default)
    {
        var registry = await GetRegistryAsync(cancellationToken);
        await NewestEvents.FlushAsync(cancellationToken);
        var recorded = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var newest in await _store.GetNewestEventsAsync(Project, cancellationToken))
        {
            recorded[newest.View] = newest.NewestEvent;
        }

        var views = new List<FeatureView>(registry.Definitions.FeatureViews);
        views.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        IAggregateStateStore? states = null;
        var now = _options.TimeProvider.GetUtcNow();
        var answer = new List<ViewFreshness>(views.Count);
        foreach (var view in views)
        {
            DateTimeOffset? newest = recorded.TryGetValue(view.Name, out var at) ? at : null;
            if (view.Stream is not null)
            {
                if (states is null)
                {
                    await EnsureOnlineInitializedAsync(cancellationToken);
                    states = Online.GetCapability<IAggregateStateStore>();
                }

                // The source's stream watermark is the newest event time ingested from it, kept durably by the store.
                if (states is not null && await states.GetStreamWatermarkAsync(view.Source, cancellationToken) is { } micros && UtcMicros.IsRepresentable(micros))
                {
                    var ingested = UtcMicros.ToDateTimeOffset(micros);
                    newest = newest is { } n && n > ingested ? n : ingested;
                }
            }

            // An event time ahead of this clock (a producer's clock running fast) is reported as age 0.
            TimeSpan? age = newest is { } time ? (now > time ? now - time : TimeSpan.Zero) : null;
            var expectation = view.Freshness ?? FreshnessExpectation.Default;
            answer.Add(new ViewFreshness(view.Name, newest, age, expectation, FreshnessClassifier.Classify(age, expectation)));
        }

        return answer;
    }
}
