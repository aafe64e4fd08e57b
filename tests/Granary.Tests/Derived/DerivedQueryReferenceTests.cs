using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Derived;

/// <summary>
/// Which <c>{{ name }}</c> in a derived view's query are references: those in SQL code, never those inside string
/// literals, quoted identifiers or comments. A property builds queries from segments whose kind it knows and checks
/// <see cref="DerivedQuery.ReferencesIn"/> and <see cref="DerivedQuery.Expand"/> against that knowledge.
/// </summary>
public sealed class DerivedQueryReferenceTests
{
    /// <summary>A piece of a query and the reference it makes, if it is one.</summary>
    private sealed record Segment(string Text, string? Reference);

    private static readonly string[] Names = ["a", "b_1", "_c", "orders"];

    private static readonly Gen<Segment> Segments = Gen.OneOf(
        Gen.Elements(Names).SelectMany(n => Gen.Elements($"{{{{ {n} }}}}", $"{{{{{n}}}}}", $"{{{{  {n}\t}}}}").Select(t => new Segment(t, n))),
        Gen.Elements(" SELECT * FROM ", " WHERE x = 1 ", ", ", "\n", " $1 ", " a$b$ ", " E ", " - ", " / ", " { } ").Select(t => new Segment(t, null)),
        Gen.Elements(Names).SelectMany(n => Gen.Elements(
            $"'{{{{ {n} }}}}'",
            $"'it''s {{{{ {n} }}}}'",
            $"E'\\' {{{{ {n} }}}}'",
            $"\"{{{{ {n} }}}}\"",
            $"\"a\"\"{{{{ {n} }}}}\"",
            $"-- {{{{ {n} }}}}\n",
            $"/* {{{{ {n} }}}} */",
            $"$$ {{{{ {n} }}}} $$",
            $"$tag$ ' {{{{ {n} }}}} $tag$")).Select(t => new Segment(t, null)));

    [Property(MaxTest = 300)]
    public Property References_are_exactly_the_placeholders_in_sql_code() =>
        Prop.ForAll(Gen.ListOf(Segments).Select(s => s.ToList()).ToArbitrary(), segments =>
        {
            var sql = string.Concat(segments.Select(s => s.Text));
            var expected = segments.Where(s => s.Reference is not null).Select(s => s.Reference!).Distinct().ToList();
            var expanded = string.Concat(segments.Select(s => s.Reference is { } name ? $"<{name}>" : s.Text));

            return (DerivedQuery.ReferencesIn(sql).SequenceEqual(expected) && DerivedQuery.Expand(sql, n => $"<{n}>") == expanded)
                .Label($"sql: {sql}");
        });

    [Fact]
    public void An_unterminated_literal_hides_every_placeholder_after_it_as_the_engine_would()
    {
        const string sql = "SELECT '{{ a }} FROM {{ b }}";

        Assert.Empty(DerivedQuery.ReferencesIn(sql));
        Assert.Equal(sql, DerivedQuery.Expand(sql, _ => "x"));
    }

    [Fact]
    public async Task A_literal_that_looks_like_a_reference_is_returned_as_text_in_training_data()
    {
        var definitions = DerivedRepository.Definitions.Replace("'gold'", "'{{ gold }}'", StringComparison.Ordinal);
        var purchases = DerivedRepository.Purchases(seed: 3, count: 30);
        using var repo = DerivedRepository.Create("project: literal\n", purchases).Write("features.yaml", definitions);
        var user = purchases.GroupBy(p => p.User).First(g => g.Sum(p => p.Amount) >= 100).Key;
        var now = DerivedRepository.Start.AddDays(11);
        repo.Write("entities.csv", $"user_id,event_timestamp\n{user},{DerivedRepository.Iso(now)}\n");
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(now)).Build();
        await store.ApplyAsync();

        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_level:level"],
        });

        await using var rows = await result.ReadAsync();
        Assert.True(await rows.Reader.ReadAsync());
        Assert.Equal("{{ gold }}", rows.Reader.GetString(rows.Reader.GetOrdinal("level")));
        Assert.False(await rows.Reader.ReadAsync());
    }
}
