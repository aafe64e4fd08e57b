using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Registry.Catalog;

namespace Granary.Tests.Registry.Catalog;

/// <summary>
/// Any sequence of edits to a view (features added, removed, retyped or redescribed, its ttl changed), applied plainly
/// or staged with --no-promote and then promoted, numbers the view's and each feature's versions exactly as a naive
/// reference does from the edits themselves.
/// </summary>
public sealed class CatalogPlannerPropertyTests
{
    private const int Pool = 4;

    // One feature's state in a step: absent, or its dtype and description choices.
    private sealed record FeatureState(bool Float32, int Description);

    private sealed record Step(FeatureState?[] Features, int Ttl, bool Staged);

    private static Step Decode(byte[] bytes)
    {
        var features = new FeatureState?[Pool];
        for (var i = 0; i < Pool; i++)
        {
            var b = bytes[i];
            features[i] = b % 4 == 0 ? null : new FeatureState((b >> 2) % 2 == 1, (b >> 3) % 2);
        }

        // Never an empty schema: a view needs a feature.
        features[0] ??= new FeatureState(false, 0);
        return new Step(features, bytes[Pool] % 2 + 1, bytes[Pool + 1] % 4 == 0);
    }

    private static DefinitionSet Definitions(Step step)
    {
        var fields = new List<Field>();
        for (var i = 0; i < Pool; i++)
        {
            if (step.Features[i] is { } f)
            {
                fields.Add(new Field($"f{i}", f.Float32 ? FeatureType.Float32 : FeatureType.Float64) { Description = f.Description == 0 ? "" : "described" });
            }
        }

        return ApplyCatalogSimulation.Repository(v => v with { Ttl = TimeSpan.FromDays(step.Ttl) }, [.. fields]);
    }

    /// <summary>The naive reference: versions computed from the feature states, never from JSON.</summary>
    private sealed class Reference
    {
        private readonly SemanticVersion?[] _features = new SemanticVersion?[Pool];
        private readonly FeatureState?[] _lastDefined = new FeatureState?[Pool];
        private Step? _previous;

        public SemanticVersion View { get; private set; }

        public SemanticVersion? Feature(int i) => _features[i];

        public void Apply(Step step)
        {
            if (_previous is not { } before)
            {
                View = SemanticVersion.Initial;
                for (var i = 0; i < Pool; i++)
                {
                    if (step.Features[i] is { } f)
                    {
                        _features[i] = SemanticVersion.Initial;
                        _lastDefined[i] = f;
                    }
                }

                _previous = step;
                return;
            }

            var major = false;
            var minor = before.Ttl != step.Ttl;
            var patch = false;
            for (var i = 0; i < Pool; i++)
            {
                var (old, now) = (before.Features[i], step.Features[i]);
                major |= old is not null && (now is null || old.Float32 != now.Float32);
                minor |= old is null && now is not null;
                patch |= old is not null && now is not null && old.Description != now.Description;

                if (now is null)
                {
                    continue;
                }

                if (_features[i] is not { } current)
                {
                    _features[i] = SemanticVersion.Initial;
                }
                else if (_lastDefined[i] is { } last && last != now)
                {
                    _features[i] = last.Float32 != now.Float32 ? current.NextMajor() : current.NextPatch();
                }

                _lastDefined[i] = now;
            }

            View = major ? View.NextMajor() : minor ? View.NextMinor() : patch ? View.NextPatch() : View;
            _previous = step;
        }
    }

    [Property(MaxTest = 60)]
    public Property Versions_equal_a_naive_bump_computation() =>
        Prop.ForAll(Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), Pool + 2), n)).ToArbitrary(), (byte[][] steps) =>
        {
            var registry = new ApplyCatalogSimulation();
            var reference = new Reference();
            foreach (var bytes in steps)
            {
                var step = Decode(bytes);
                var definitions = Definitions(step);
                if (step.Staged)
                {
                    registry.Apply(definitions, promote: false);
                }

                registry.Apply(definitions);
                reference.Apply(step);

                Assert.Equal(reference.View, registry.Entry("customer_stats").CurrentVersion);
                Assert.Equal(reference.View, registry.Versions("customer_stats")[0].Version);
                for (var i = 0; i < Pool; i++)
                {
                    var entry = registry.FindEntry($"customer_stats:f{i}");
                    Assert.Equal(reference.Feature(i), entry?.CurrentVersion);
                    if (entry is not null)
                    {
                        Assert.Equal(step.Features[i] is not null, entry.Defined);
                        Assert.Equal(step.Features[i] is null ? LifecycleStatus.Archived : LifecycleStatus.Active, entry.Status);
                        Assert.All(registry.Versions(entry.Name), v => Assert.True(v.Promoted || v.Version > entry.CurrentVersion));
                    }
                }
            }

            return true;
        });
}
