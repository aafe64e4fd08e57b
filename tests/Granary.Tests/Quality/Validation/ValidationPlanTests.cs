using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Validation;

/// <summary>Plan refuses a validation rule that cannot work on its column, at the rule's file and line.</summary>
public sealed class ValidationPlanTests
{
    private static async Task<DefinitionException> PlanFailsAsync(string rules)
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/rules.yaml", rules);
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    private static Diagnostic Single(DefinitionException e, string messagePart)
    {
        var matches = e.Diagnostics.Where(d => d.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing '{messagePart}', got:\n{string.Join("\n", e.Diagnostics)}");
        return matches[0];
    }

    [Fact]
    public async Task Wrong_rules_are_reported_at_their_file_and_line()
    {
        var e = await PlanFailsAsync("""
            feature_views:
              - name: checked_stats
                entities: [user]
                source: user_stats_source
                schema:
                  - name: orders_7d
                    dtype: int64
                    validation:
                      - {rule: regex, pattern: "^[0-9]+$"}
                      - {rule: enum, values: [1, two]}
                      - rule: expression
                        expr: "orders_7d <= spend_7"
                  - name: spend_7d
                    dtype: float64
                    validation:
                      - {rule: expression, expr: "spend_7d + 1"}
                      - {rule: expression, expr: "user_id > 0 and spend_7d >= 0"}
            """);

        var regex = Single(e, "rule 'regex' of field 'orders_7d'");
        Assert.Equal(("features/rules.yaml", 9), (regex.Location!.Value.File, regex.Location.Value.Line));
        Assert.Contains("needs a string column, but 'orders_7d' is int64", regex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidDefinition, regex.Code);

        var enumValues = Single(e, "rule 'enum' of field 'orders_7d'");
        Assert.Equal(10, enumValues.Location!.Value.Line);
        Assert.Contains("lists \"two\"", enumValues.Message, StringComparison.Ordinal);

        var syntax = Single(e, "rule 'expression' of field 'orders_7d'");
        Assert.Equal(12, syntax.Location!.Value.Line);
        Assert.Contains("Unknown column 'spend_7' (did you mean 'spend_7d'?)", syntax.Message, StringComparison.Ordinal);
        Assert.Contains("at column 14", syntax.Message, StringComparison.Ordinal);

        var notCondition = Single(e, "not a condition");
        Assert.Equal(16, notCondition.Location!.Value.Line);

        // The join key is a column an expression may read: the rule on line 17 is valid.
        Assert.DoesNotContain(e.Diagnostics, d => d.Location?.Line == 17);
    }

    [Fact]
    public async Task Range_on_a_string_is_refused()
    {
        var e = await PlanFailsAsync("""
            feature_views:
              - name: checked_items
                entities: [item]
                source: item_source
                schema:
                  - name: category
                    dtype: string
                    validation: [{rule: range, min: 0, max: 1}]
            """);

        var range = Single(e, "rule 'range' of field 'category'");
        Assert.Equal(8, range.Location!.Value.Line);
        Assert.Contains("needs a number column, but 'category' is string", range.Message, StringComparison.Ordinal);
    }
}
