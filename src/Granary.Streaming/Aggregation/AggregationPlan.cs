using System.IO.Hashing;
using System.Text;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// A stream view's aggregations compiled once: the columns an event must carry, the series of tiles a key keeps
/// (one per aggregation and hop, shared by every window of that hop, so <c>sum</c> over 1h and 1d with a 1m hop
/// updates one tile per event), the lifetime states, and the features in definition order.
/// </summary>
internal sealed class AggregationPlan
{
    public AggregationPlan(IReadOnlyList<AggregationSpec> specs)
    {
        var columns = new List<string>();
        var aggregations = new List<Aggregation>();
        var columnOf = new List<int>();
        var series = new List<SeriesPlan>();
        var lifetimeOf = new List<int>();
        var lifetimes = new List<LifetimePlan>();
        var features = new List<StreamFeature>();
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var spec in specs)
        {
            var aggregation = spec.Aggregation;
            var index = aggregations.Count;
            aggregations.Add(aggregation);
            columnOf.Add(aggregation.Column is null ? -1 : IndexOf(columns, aggregation.Column));
            if (spec.Windows.Count == 0)
            {
                throw new ArgumentException($"{AggregationFunctions.NameOf(aggregation.Function)} has no windows.", nameof(specs));
            }

            if (spec.Name is not null && (spec.Windows.Count != 1 || aggregation.Outputs != 1))
            {
                throw new ArgumentException(
                    $"name '{spec.Name}' is for an aggregation with one window and one output; this one has {spec.Windows.Count * aggregation.Outputs}.",
                    nameof(specs));
            }

            var lifetime = -1;
            foreach (var window in spec.Windows)
            {
                var seriesIndex = -1;
                if (window.IsLifetime)
                {
                    if (lifetime < 0)
                    {
                        lifetime = lifetimes.Count;
                        lifetimes.Add(new LifetimePlan(index, Identify(aggregation, 0)));
                    }
                }
                else
                {
                    seriesIndex = series.FindIndex(s => s.AggregationIndex == index && s.HopMicros == window.HopMicros);
                    if (seriesIndex < 0)
                    {
                        seriesIndex = series.Count;
                        series.Add(new SeriesPlan(index, window.HopMicros, window.LengthMicros, Identify(aggregation, window.HopMicros)));
                    }
                    else if (series[seriesIndex].LongestWindowMicros < window.LengthMicros)
                    {
                        series[seriesIndex] = series[seriesIndex] with { LongestWindowMicros = window.LengthMicros };
                    }
                }

                for (var output = 0; output < aggregation.Outputs; output++)
                {
                    var name = spec.Name ?? aggregation.FeatureName(window, output);
                    if (!names.Add(name))
                    {
                        throw new ArgumentException($"Two aggregations produce the feature '{name}'.", nameof(specs));
                    }

                    features.Add(new StreamFeature(name, aggregation.OutputType, index, window, output, seriesIndex, window.IsLifetime ? lifetime : -1));
                }
            }

            lifetimeOf.Add(lifetime);
        }

        Columns = columns;
        Aggregations = aggregations;
        ColumnOf = columnOf;
        Series = series;
        LifetimeOf = lifetimeOf;
        Lifetimes = lifetimes;
        Features = features;
    }

    /// <summary>The event columns the aggregations read, in first-use order; events are passed in this order.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<Aggregation> Aggregations { get; }

    /// <summary>Per aggregation, its column's index in <see cref="Columns"/>, or -1 for <c>count</c> of events.</summary>
    public IReadOnlyList<int> ColumnOf { get; }

    public IReadOnlyList<SeriesPlan> Series { get; }

    /// <summary>Per aggregation, the index of its lifetime state, or -1 when it has no lifetime window.</summary>
    public IReadOnlyList<int> LifetimeOf { get; }

    /// <summary>The lifetime states a key keeps, indexed as <see cref="LifetimeOf"/> gives.</summary>
    public IReadOnlyList<LifetimePlan> Lifetimes { get; }

    public IReadOnlyList<StreamFeature> Features { get; }

    /// <summary>A stable 64-bit name of an aggregation's tiles at a hop, for stored state.</summary>
    internal static ulong Identify(Aggregation aggregation, long hopMicros)
    {
        var text = new StringBuilder()
            .Append(AggregationFunctions.NameOf(aggregation.Function)).Append('|')
            .Append(aggregation.Column).Append('|')
            .Append(aggregation.InputType?.ToString()).Append('|')
            .Append(aggregation.K).Append('|')
            .AppendJoin(',', aggregation.Percentiles).Append('|')
            .Append(hopMicros)
            .ToString();
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text));
    }

    private static int IndexOf(List<string> columns, string column)
    {
        var index = columns.IndexOf(column);
        if (index >= 0)
        {
            return index;
        }

        columns.Add(column);
        return columns.Count - 1;
    }
}
