using System.Globalization;
using Granary.Core.Model;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// One function over one column (or over events, for <c>count</c> without a column), with its parameters: what a
/// tile keeps for it and what it answers. Windows are not part of it: one aggregation's tiles serve every window
/// that shares their hop.
/// </summary>
internal sealed class Aggregation
{
    private Aggregation(AggregationFunction function, string? column, FeatureType? inputType, int k, double[] percentiles)
    {
        Function = function;
        Column = column;
        InputType = inputType;
        K = k;
        Percentiles = percentiles;
        Outputs = function == AggregationFunction.ApproxPercentile ? percentiles.Length : 1;
        OutputType = OutputTypeOf(function, inputType);
    }

    public AggregationFunction Function { get; }

    /// <summary>The aggregated column; null for <c>count</c> of events.</summary>
    public string? Column { get; }

    /// <summary>The column's type; null for <c>count</c> of events.</summary>
    public FeatureType? InputType { get; }

    /// <summary>How many values <c>last_k</c> keeps.</summary>
    public int K { get; }

    /// <summary>The percentiles (0-100) <c>approx_percentile</c> answers, in order.</summary>
    public IReadOnlyList<double> Percentiles { get; }

    /// <summary>Values the aggregation answers: one, or one per percentile.</summary>
    public int Outputs { get; }

    /// <summary>The type of every output (the typing: sums of integers are int64, means are float64, ...).</summary>
    public FeatureType OutputType { get; }

    /// <summary>
    /// An aggregation, checked: the function suits the column's type, <c>last_k</c> has a positive k and
    /// <c>approx_percentile</c> percentiles between 0 and 100. The message of the <see cref="ArgumentException"/>
    /// names the problem in the definition's words.
    /// </summary>
    public static Aggregation Create(
        AggregationFunction function, string? column, FeatureType? inputType, int k = 0, IReadOnlyList<double>? percentiles = null)
    {
        var name = AggregationFunctions.NameOf(function);
        if (column is null != inputType is null)
        {
            throw new ArgumentException("A column and its type come together.", nameof(inputType));
        }

        if (column is null && AggregationFunctions.NeedsColumn(function))
        {
            throw new ArgumentException($"{name} needs a column.", nameof(column));
        }

        if (inputType is { IsList: true } list)
        {
            throw new ArgumentException($"{name} cannot aggregate the list column '{column}' ({list}).", nameof(inputType));
        }

        if (inputType is { } type && !Accepts(function, type.Kind))
        {
            throw new ArgumentException($"{name} needs a numeric column; '{column}' is {type}.", nameof(inputType));
        }

        if (function == AggregationFunction.LastK && k <= 0)
        {
            throw new ArgumentException($"last_k needs k, a positive number of values to keep; it is {k}.", nameof(k));
        }

        double[] chosen = [];
        if (function == AggregationFunction.ApproxPercentile)
        {
            if (percentiles is null || percentiles.Count == 0)
            {
                throw new ArgumentException("approx_percentile needs percentiles, such as [50, 99].", nameof(percentiles));
            }

            chosen = [.. percentiles];
            foreach (var p in chosen)
            {
                if (p is < 0 or > 100 || double.IsNaN(p))
                {
                    throw new ArgumentException($"A percentile lies between 0 and 100; {p.ToString(CultureInfo.InvariantCulture)} does not.", nameof(percentiles));
                }
            }
        }

        return new Aggregation(function, column, inputType, function == AggregationFunction.LastK ? k : 0, chosen);
    }

    /// <summary>A new, empty partial aggregate.</summary>
    public AggregateState CreateState() => Function switch
    {
        AggregationFunction.Count => new CountState(),
        AggregationFunction.Sum => new SumState(ScalarValues.IsInteger(InputType!.Value.Kind)),
        AggregationFunction.Mean => new MeanState(),
        AggregationFunction.Min => new ExtremeState(InputType!.Value, largest: false),
        AggregationFunction.Max => new ExtremeState(InputType!.Value, largest: true),
        AggregationFunction.Variance => new VarianceState(standardDeviation: false),
        AggregationFunction.Stddev => new VarianceState(standardDeviation: true),
        AggregationFunction.First => new PositionalState(InputType!.Value, newest: false),
        AggregationFunction.Last => new PositionalState(InputType!.Value, newest: true),
        AggregationFunction.LastK => new LastKState(InputType!.Value, K),
        AggregationFunction.ApproxCountDistinct => new HyperLogLog(),
        AggregationFunction.ApproxPercentile => new TDigest([.. Percentiles]),
        _ => throw new InvalidOperationException($"Unknown aggregation function {Function}."),
    };

    /// <summary>Reads a state <see cref="AggregateState.Write"/> wrote for this aggregation.</summary>
    public AggregateState Read(ref StateReader reader) => Function switch
    {
        AggregationFunction.Count => CountState.Read(ref reader),
        AggregationFunction.Sum => SumState.Read(ref reader, ScalarValues.IsInteger(InputType!.Value.Kind)),
        AggregationFunction.Mean => MeanState.Read(ref reader),
        AggregationFunction.Min => ExtremeState.Read(ref reader, InputType!.Value, largest: false),
        AggregationFunction.Max => ExtremeState.Read(ref reader, InputType!.Value, largest: true),
        AggregationFunction.Variance => VarianceState.Read(ref reader, standardDeviation: false),
        AggregationFunction.Stddev => VarianceState.Read(ref reader, standardDeviation: true),
        AggregationFunction.First => PositionalState.Read(ref reader, InputType!.Value, newest: false),
        AggregationFunction.Last => PositionalState.Read(ref reader, InputType!.Value, newest: true),
        AggregationFunction.LastK => LastKState.Read(ref reader, InputType!.Value, K),
        AggregationFunction.ApproxCountDistinct => HyperLogLog.Read(ref reader),
        AggregationFunction.ApproxPercentile => TDigest.Read(ref reader, [.. Percentiles]),
        _ => throw new InvalidOperationException($"Unknown aggregation function {Function}."),
    };

    /// <summary>
    /// The feature name of output <paramref name="output"/> over <paramref name="window"/>:
    /// <c>{function}_{column}_{window}</c>, <c>count_{window}</c> without a column, and
    /// <c>approx_percentile_p99_{column}_{window}</c> per percentile.
    /// </summary>
    public string FeatureName(Window window, int output)
    {
        var function = AggregationFunctions.NameOf(Function);
        if (Function == AggregationFunction.ApproxPercentile)
        {
            function = $"{function}_p{Percentiles[output].ToString(CultureInfo.InvariantCulture).Replace('.', '_')}";
        }

        return Column is null ? $"{function}_{window.Name}" : $"{function}_{Column}_{window.Name}";
    }

    private static bool Accepts(AggregationFunction function, ScalarKind kind) => function switch
    {
        AggregationFunction.Sum or AggregationFunction.Mean or AggregationFunction.Variance or AggregationFunction.Stddev
            or AggregationFunction.ApproxPercentile => ScalarValues.IsNumeric(kind),
        _ => true,
    };

    private static FeatureType OutputTypeOf(AggregationFunction function, FeatureType? input) => function switch
    {
        AggregationFunction.Count or AggregationFunction.ApproxCountDistinct => FeatureType.Int64,
        AggregationFunction.Sum => ScalarValues.IsInteger(input!.Value.Kind) ? FeatureType.Int64 : FeatureType.Float64,
        AggregationFunction.Mean or AggregationFunction.Variance or AggregationFunction.Stddev
            or AggregationFunction.ApproxPercentile => FeatureType.Float64,
        AggregationFunction.LastK => input!.Value.AsList(),
        _ => input!.Value,
    };
}
