using Granary.Core.Model;
using Granary.Quality.Validation;

namespace Granary.OnlineServing;

/// <summary>The view's validation rules, built on first use and kept with the plan, so once per view and registry version.</summary>
internal sealed partial class OnlineViewPlan
{
    private Built? _validator;

    /// <summary>
    /// The rules of the view's schema fields over its rows as push and materialization hold them (the join keys, then
    /// the features in schema order); null when no field declares one. For a stream view, the rules of its event
    /// columns (<see cref="StreamSettings.Inputs"/>) over its events (the join keys, then the columns its aggregations
    /// read, in plan order): a rule on a column the aggregations do not read has nothing to judge and is left out.
    /// </summary>
    public RowValidator? Validator => (_validator ??= new Built(BuildValidator())).Value;

    private RowValidator? BuildValidator()
    {
        var columns = new List<ValidatedColumn>(JoinKeys.Count + Schema.Count);
        for (var k = 0; k < JoinKeys.Count; k++)
        {
            columns.Add(new ValidatedColumn(JoinKeys[k], KeyTypes[k]));
        }

        if (View.Stream is not { } stream)
        {
            foreach (var feature in Schema.Features)
            {
                columns.Add(new ValidatedColumn(feature.Name, feature.Type));
            }

            return RowValidator.For(Name, columns, JoinKeys.Count, View.Schema);
        }

        if (!HasRules(stream.Inputs))
        {
            return null;
        }

        foreach (var name in Stream!.Target.Plan.Columns)
        {
            columns.Add(new ValidatedColumn(name, TypeOf(stream.Inputs, name)));
        }

        return RowValidator.For(Name, columns, JoinKeys.Count, stream.Inputs, skipUnavailable: true);
    }

    private static bool HasRules(IReadOnlyList<Field> fields)
    {
        foreach (var field in fields)
        {
            if (field.Validation.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static FeatureType TypeOf(IReadOnlyList<Field> inputs, string name)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input.Type;
            }
        }

        // Not an input (the definitions were not completed): a type no rule or expression reads.
        return FeatureType.Bytes;
    }

    // A box, so that "no rules" (null) is remembered too; two threads racing build the same immutable validator.
    private sealed record Built(RowValidator? Value);
}
