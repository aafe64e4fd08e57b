using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Quality.Validation;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>
/// The validation rules of a source's stream views applied to a batch of decoded events, before lateness is judged:
/// an event failing an <c>error</c> rule of any view is dropped from every view's list (so the views and the offline
/// log keep the same events), neither logged nor aggregated nor advancing the watermark; counted
/// (<c>granary.stream.events.rejected_invalid</c>) and logged with one example per rule. <c>warn</c> rules are only
/// logged. <c>max_null_fraction</c> judges a share of many rows and is left to push and materialization: a
/// consumer's batch is whatever the stream delivered.
/// </summary>
internal sealed class StreamEventValidation
{
    private readonly string _source;
    private readonly IReadOnlyList<OnlineViewPlan> _views;
    private readonly RowValidator?[] _validators;
    private readonly StreamIngestMetrics _metrics;
    private readonly ILogger _logger;

    private StreamEventValidation(string source, IReadOnlyList<OnlineViewPlan> views, RowValidator?[] validators, StreamIngestMetrics metrics, ILogger logger)
    {
        _source = source;
        _views = views;
        _validators = validators;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The validation of <paramref name="views"/>' events, or null when none of them declares a rule on its event columns.</summary>
    public static StreamEventValidation? For(string source, IReadOnlyList<OnlineViewPlan> views, StreamIngestMetrics metrics, ILogger logger)
    {
        var validators = new RowValidator?[views.Count];
        var any = false;
        for (var v = 0; v < validators.Length; v++)
        {
            validators[v] = views[v].Validator;
            any |= validators[v] is not null;
        }

        return any ? new StreamEventValidation(source, views, validators, metrics, logger) : null;
    }

    /// <summary>Drops the events failing an error rule from every list of <paramref name="events"/> (<c>events[v][i]</c>); returns how many.</summary>
    public int DropInvalid(List<StreamEvent>[] events)
    {
        var count = events[0].Count;
        bool[]? rejected = null;
        var dropped = 0;
        for (var v = 0; v < _validators.Length; v++)
        {
            if (_validators[v] is not { } validator)
            {
                continue;
            }

            var plan = _views[v];
            var batch = StreamEventCells.ToBatch(events[v], plan.JoinKeys.Count, plan.Stream!.Target.Plan.Columns.Count);
            var tally = new ValidationTally(validator);
            rejected ??= new bool[count];
            dropped += validator.Validate(batch, tally, rejected, firstRow: null);
            foreach (var violation in tally.Violations())
            {
                if (violation.Rule == "max_null_fraction")
                {
                    continue;
                }

                if (violation.IsBlocking)
                {
                    _metrics.RejectedInvalid(plan.Name, _source, (int)violation.Failed);
                }

                StreamValidationLog.Failed(
                    _logger, _source, violation.Failed, violation.Rule, violation.Severity.Key(), violation.View, violation.Feature,
                    violation.IsBlocking ? "dropped" : "applied", violation.DescribeExample());
            }
        }

        if (dropped > 0)
        {
            foreach (var list in events)
            {
                var kept = 0;
                for (var i = 0; i < list.Count; i++)
                {
                    if (!rejected![i])
                    {
                        list[kept++] = list[i];
                    }
                }

                list.RemoveRange(kept, list.Count - kept);
            }
        }

        return dropped;
    }
}
