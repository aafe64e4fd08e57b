using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>
/// A YAML mistake is reported where it really is, in plain words, and only once: objects it kept from loading are
/// not reported again as unknown references.
/// </summary>
public sealed class YamlMistakeTests
{
    private static async Task<DefinitionException> PlanFailsAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    [Theory]
    [InlineData("entities:\n  - name: store\n\tjoin_keys: [store_id]\n    value_type: string\n")]
    [InlineData("entities:\n  - name: store\n    value_type: string\n\t- name: shelf\n    value_type: string\n")]
    [InlineData("entities:\n  - {name: store, value_type: string}\n\t\nfeature_views:\n\t- name: v\n")]
    public async Task A_tab_in_the_indentation_is_reported_at_the_tab_with_the_rule(string yaml)
    {
        using var repo = SampleRepository.Create();
        repo.Write("more.yaml", yaml);
        var line = Array.FindIndex(yaml.Split('\n'), l => l.StartsWith('\t') && l.Trim().Length > 0) + 1;

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("more.yaml", line, 1), d.Location);
        Assert.Contains("tabs are not allowed for indentation in YAML; use spaces", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tab_after_spaces_is_found_even_when_the_parser_fails_later()
    {
        using var repo = SampleRepository.Create();
        repo.Write("more.yaml", "feature_views:\n  - name: extra\n    source: item_source\n  \t  entities: [item]\n    schema:\n      - {name: price, dtype: float64}\n");

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("more.yaml", 4, 3), d.Location);
        Assert.Contains("a tab indents line 4", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unclosed_bracket_is_reported_where_it_opens()
    {
        using var repo = SampleRepository.Create();
        repo.Write("oops.yaml", "entities:\n  - name: a\n    join_keys: [a\n    value_type: int64\n  - name: b\n    value_type: int64\n");

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("oops.yaml", 3, 16), d.Location);
        Assert.Contains("the '[' on line 3 is never closed; add ']'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_with_a_colon_is_explained_in_plain_words()
    {
        using var repo = SampleRepository.Create();
        repo.Write("oops.yaml", "entities:\n  - name: a\n    description: ratio: spend over orders\n    value_type: int64\n");

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(3, d.Location!.Value.Line);
        Assert.Contains("Quote a value that contains ': '", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("context", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("entities:\n  - name: a\n    value_type int64\n    join_keys: [a]\n", 3, 5, "line 3 has no ':'. A key needs ':' and a space after it (key: value).")]
    [InlineData("entities:\n  - name: \"a\n    value_type: int64\n", 2, 11, "a quoted string is never closed")]
    [InlineData("entities:\n  - name: a\n    value_type: int64\n    value_type: string\n", 4, 5, "the key 'value_type' appears twice in the same mapping; keep one.")]
    [InlineData("entities:\n  - name: a\n   value_type: int64\n", 3, 4, "the keys of one mapping, and the items ('- ') of one list, start at the same column")]
    [InlineData("entities:\n  - {name: a, value_type: int64\n", 2, 5, "the '{' on line 2 is never closed; add '}' where the mapping ends.")]
    [InlineData("entities:\n  - name: @a\n", 2, 11, "'@' (reserved in YAML) cannot start a value; put the value in quotes.")]
    public async Task Common_syntax_errors_are_explained_at_their_line_and_column(string yaml, int line, int column, string hint)
    {
        using var repo = SampleRepository.Create();
        repo.Write("oops.yaml", yaml);

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("oops.yaml", line, column), d.Location);
        Assert.StartsWith("YAML syntax error: ", d.Message, StringComparison.Ordinal);
        Assert.Contains(hint, d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("While ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_whose_entity_failed_to_load_reports_only_the_entity()
    {
        using var repo = SampleRepository.Create();
        repo.Write("entities.yaml", SampleRepository.Entities.Replace("value_type: int64", "value_type: integer64", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("Unknown value_type 'integer64'", d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("entities.yaml", 4, 17), d.Location);
    }

    [Fact]
    public async Task A_syntax_error_in_one_file_does_not_make_its_objects_unknown_elsewhere()
    {
        using var repo = SampleRepository.Create();
        repo.Write("entities.yaml", SampleRepository.Entities.Replace("join_keys: [user_id]", "join_keys: [user_id", StringComparison.Ordinal));
        repo.Write("more.yaml", "feature_views:\n  - name: ghostly\n    entities: [ghost]\n    source: item_source\n    schema:\n      - {name: price, dtype: float64}\n");

        var e = await PlanFailsAsync(repo);

        // The broken file's own objects ('user', 'item') are not reported missing; a name it never mentions still is.
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.Contains(e.Diagnostics, d => d.Location!.Value.File == "entities.yaml" && d.Message.StartsWith("YAML syntax error", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Location == new SourceLocation("more.yaml", 3, 16) && d.Message.Contains("entity 'ghost'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_with_an_unknown_dtype_is_not_reported_again_by_the_service_that_names_it()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("{name: price, dtype: float64}", "{name: price, dtype: decimal}", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("Unknown dtype 'decimal'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_of_an_unknown_type_is_reported_once_not_by_every_view_and_push_source_reading_it()
    {
        using var repo = SampleRepository.Create();
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("type: file\n    path: data/user_stats.csv", "type: flie\n    path: data/user_stats.csv", StringComparison.Ordinal));

        var e = await PlanFailsAsync(repo);

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("Unknown type 'flie'", d.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'file'", d.Message, StringComparison.Ordinal);
    }
}
