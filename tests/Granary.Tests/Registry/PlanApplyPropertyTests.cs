using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Registry.Planning;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>
/// Any sequence of applies leaves the registry holding exactly the last repository applied, touches only the
/// objects that changed, and keeps one history row per apply.
/// </summary>
public sealed class PlanApplyPropertyTests
{
    private const string Project = "prop";

    /// <summary>A repository drawn from a fixed pool of objects: each byte picks whether and how an object appears.</summary>
    private static DefinitionSet Repository(byte[] choices)
    {
        byte Choice(int i) => i < choices.Length ? choices[i] : (byte)0;
        var entities = new List<Entity>();
        var sources = new List<DataSource>();
        var views = new List<FeatureView>();
        var services = new List<FeatureService>();
        for (var i = 0; i < 3; i++)
        {
            var c = Choice(i);
            if (c % 3 != 0)
            {
                entities.Add(new Entity { Name = $"e{i}", JoinKeys = [$"k{i}"], ValueType = c % 2 == 0 ? FeatureType.Int64 : FeatureType.String, Description = $"d{c % 4}" });
                sources.Add(new FileSource { Name = $"s{i}", Path = $"data/s{i}.parquet", Format = FileFormat.Parquet, TimestampField = "ts", Tags = new Dictionary<string, string> { ["v"] = $"{c % 5}" } });
            }
        }

        foreach (var entity in entities)
        {
            var i = entity.Name[1] - '0';
            var c = Choice(3 + i);
            if (c % 2 == 0)
            {
                var schema = new List<Field> { new("f0", FeatureType.Float64) };
                if (c % 4 == 0)
                {
                    schema.Add(new Field("f1", c % 8 == 0 ? FeatureType.Int32 : FeatureType.Float32.AsList()));
                }

                views.Add(new FeatureView { Name = $"v{i}", Entities = [entity.Name], Source = $"s{i}", Schema = schema, Ttl = TimeSpan.FromHours(c % 5), Online = c % 3 != 0 });
            }
        }

        if (views.Count > 0 && Choice(6) % 2 == 1)
        {
            services.Add(new FeatureService { Name = "svc", Features = views.ConvertAll(v => new FeatureReference(v.Name, "f0")) });
        }

        return new DefinitionSet { Entities = entities, Sources = sources, FeatureViews = views, FeatureServices = services };
    }

    private static Dictionary<(ObjectKind, string), string> CanonicalForms(DefinitionSet definitions)
    {
        var forms = new Dictionary<(ObjectKind, string), string>();
        foreach (var d in definitions.All())
        {
            forms[(d.Kind, d.Name)] = CanonicalJson.Serialize(d);
        }

        return forms;
    }

    [Property(MaxTest = 40)]
    public Property Registry_holds_exactly_the_last_repository_applied() =>
        Prop.ForAll(Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 7), n)).ToArbitrary(), (byte[][] steps) =>
        {
            using var folder = new TempRepository();
            var store = new SqliteRegistryStore(Path.Combine(folder.Root, "registry.db"));
            try
            {
                return Run(store, steps).GetAwaiter().GetResult();
            }
            finally
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });

    private static async Task<bool> Run(IRegistryStore store, byte[][] steps)
    {
        await store.InitializeAsync();
        var previous = new Dictionary<(ObjectKind, string), StoredObject>();
        for (var step = 0; step < steps.Length; step++)
        {
            var desired = Repository(steps[step]);
            var plan = RegistryPlanner.Plan(Project, desired, await store.LoadAsync(Project));
            var version = await store.ApplyAsync(plan.ToApplyRequest("test", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.Equal(step + 1, version);

            var snapshot = await store.LoadAsync(Project);
            var expected = CanonicalForms(desired);
            Assert.Equal(expected.Count, snapshot.Objects.Count);
            foreach (var stored in snapshot.Objects)
            {
                Assert.Equal(expected[(stored.Kind, stored.Name)], stored.Spec);
                Assert.Equal(CanonicalJson.Hash(stored.Spec), stored.Hash);
                if (previous.TryGetValue((stored.Kind, stored.Name), out var before) && before.Hash == stored.Hash)
                {
                    // Unchanged objects keep their versions: lineage depends on it.
                    Assert.Equal(before.UpdatedVersion, stored.UpdatedVersion);
                    Assert.Equal(before.CreatedVersion, stored.CreatedVersion);
                }
                else
                {
                    Assert.Equal(version, stored.UpdatedVersion);
                }
            }

            Assert.False(RegistryPlanner.Plan(Project, desired, snapshot).HasChanges);
            previous = snapshot.Objects.ToDictionary(o => (o.Kind, o.Name));
        }

        Assert.Equal(steps.Length, (await store.GetHistoryAsync(Project)).Count);
        return true;
    }
}
