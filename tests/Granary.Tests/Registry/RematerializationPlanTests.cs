using Granary.Core.Model;
using Granary.Registry.Planning;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// A plan names the online views whose stored records a change orphans (other features, or other join-key types), and
/// only those.
/// </summary>
public sealed class RematerializationPlanTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Entity User = new() { Name = "user", JoinKeys = ["user_id"], ValueType = FeatureType.Int64 };

    private static readonly FileSource Events = new() { Name = "events", Path = "data/events.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };

    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["user"],
        Source = "events",
        Ttl = TimeSpan.FromDays(2),
        Schema = [new Field("orders", FeatureType.Int64), new Field("spend", FeatureType.Float64)],
    };

    public static TheoryData<string> SchemaChanges => ["added", "removed", "retyped", "reordered", "renamed", "key type"];

    public static TheoryData<string> OtherChanges => ["ttl", "tags", "description", "join key typed as a field", "new view", "offline view"];

    [Theory]
    [MemberData(nameof(SchemaChanges))]
    public void A_change_of_an_online_views_record_layout_needs_re_materialization(string change)
    {
        var (view, user) = change switch
        {
            "added" => (Stats with { Schema = [.. Stats.Schema, new Field("visits", FeatureType.Int32)] }, User),
            "removed" => (Stats with { Schema = [Stats.Schema[1]] }, User),
            "retyped" => (Stats with { Schema = [Stats.Schema[0], new Field("spend", FeatureType.Float32)] }, User),
            "reordered" => (Stats with { Schema = [Stats.Schema[1], Stats.Schema[0]] }, User),
            "renamed" => (Stats with { Schema = [Stats.Schema[0], new Field("spend_usd", FeatureType.Float64)] }, User),
            _ => (Stats, User with { ValueType = FeatureType.String }),
        };

        var plan = Plan(Repository(Stats, User), Repository(view, user));

        Assert.Equal(["stats"], plan.ViewsToRematerialize);
    }

    [Theory]
    [MemberData(nameof(OtherChanges))]
    public void A_change_that_keeps_every_online_views_records_readable_needs_none(string change)
    {
        var offline = Stats with { Name = "offline_stats", Online = false };
        var before = Repository(Stats, User, offline);
        var after = change switch
        {
            "ttl" => Repository(Stats with { Ttl = TimeSpan.FromDays(7) }, User, offline),
            "tags" => Repository(Stats with { Tags = new Dictionary<string, string> { ["team"] = "growth" } }, User, offline),
            "description" => Repository(Stats, User with { Description = "A shopper." }, offline),
            // A field named like a join key types the key: it is not a feature, so it is not in the record.
            "join key typed as a field" => Repository(Stats with { Schema = [new Field("user_id", FeatureType.Int64), .. Stats.Schema] }, User, offline),
            "new view" => Repository(Stats, User, offline, Stats with { Name = "stats_copy" }),
            _ => Repository(Stats, User, offline with { Schema = [Stats.Schema[0]] }),
        };

        var plan = Plan(before, after);

        Assert.True(plan.HasChanges);
        Assert.Empty(plan.ViewsToRematerialize);
    }

    [Fact]
    public void The_first_apply_needs_no_re_materialization()
    {
        var plan = RegistryPlanner.Plan("p", Repository(Stats, User), RegistrySnapshot.Empty("p"));

        Assert.Empty(plan.ViewsToRematerialize);
    }

    private static RegistryPlan Plan(DefinitionSet before, DefinitionSet after) => RegistryPlanner.Plan("p", after, Stored(before));

    private static DefinitionSet Repository(FeatureView view, Entity user, params FeatureView[] more) =>
        new() { Entities = [user], Sources = [Events], FeatureViews = [view, .. more] };

    private static RegistrySnapshot Stored(DefinitionSet definitions)
    {
        var objects = new List<StoredObject>();
        foreach (var definition in definitions.All())
        {
            var spec = CanonicalJson.Serialize(definition);
            objects.Add(new StoredObject(definition.Kind, definition.Name, spec, CanonicalJson.Hash(spec), 1, 1, At, At));
        }

        return new RegistrySnapshot("p", 1, objects);
    }
}
