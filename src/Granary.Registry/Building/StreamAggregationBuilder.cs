using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures one aggregation of a stream feature view; see <see cref="StreamFeatureViewBuilder.Aggregate"/>.</summary>
public sealed class StreamAggregationBuilder
{
    private readonly List<StreamWindow> _windows = [];
    private readonly List<double> _percentiles = [];
    private int _k;
    private string? _name;

    /// <summary>A sliding window of <paramref name="length"/>; its old edge moves by <paramref name="hop"/>, or the view's hop when null.</summary>
    public StreamAggregationBuilder Window(TimeSpan length, TimeSpan? hop = null)
    {
        _windows.Add(new StreamWindow(length, hop));
        return this;
    }

    /// <summary>Every event ever seen.</summary>
    public StreamAggregationBuilder Lifetime()
    {
        _windows.Add(StreamWindow.Lifetime);
        return this;
    }

    /// <summary>How many values <c>last_k</c> keeps.</summary>
    public StreamAggregationBuilder K(int k)
    {
        _k = k;
        return this;
    }

    /// <summary>The percentiles (0-100) <c>approx_percentile</c> answers.</summary>
    public StreamAggregationBuilder Percentiles(params double[] percentiles)
    {
        _percentiles.AddRange(percentiles);
        return this;
    }

    /// <summary>The feature's own name, for an aggregation with one window and one output.</summary>
    public StreamAggregationBuilder Name(string name)
    {
        _name = name;
        return this;
    }

    internal StreamAggregation Build(string function, string? column) => new()
    {
        Function = function,
        Column = column,
        Windows = [.. _windows],
        K = _k,
        Percentiles = [.. _percentiles],
        Name = _name,
    };
}
