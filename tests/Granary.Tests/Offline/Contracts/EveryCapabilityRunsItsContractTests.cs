using Granary.Offline;

namespace Granary.Tests.Offline.Contracts;

/// <summary>Each engine runs the contract suite of every capability it offers, and only of those.</summary>
public sealed class EveryCapabilityRunsItsContractTests
{
    [Fact]
    public void Every_engine_runs_the_contract_of_every_capability_it_has()
    {
        var suites = Suites();
        var engines = typeof(IOfflineEngine).Assembly.GetTypes()
            .Where(t => typeof(IOfflineEngine).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .ToList();

        Assert.NotEmpty(engines);
        foreach (var engine in engines)
        {
            foreach (var capability in CapabilitiesOf(engine))
            {
                Assert.True(suites.Contains((engine, capability)), $"{engine.Name} offers {capability.Name} but runs no contract suite for it.");
            }
        }
    }

    [Fact]
    public void Every_contract_suite_runs_on_an_engine_with_that_capability()
    {
        foreach (var (engine, capability) in Suites())
        {
            Assert.Contains(capability, CapabilitiesOf(engine));
        }
    }

    // The capabilities are the small interfaces of Granary.Offline and Granary.Core.Sources an engine implements.
    private static List<Type> CapabilitiesOf(Type engine) =>
        [.. engine.GetInterfaces().Where(i => i != typeof(IOfflineEngine) && i.Namespace is "Granary.Offline" or "Granary.Core.Sources")];

    private static HashSet<(Type Engine, Type Capability)> Suites()
    {
        var suites = new HashSet<(Type, Type)>();
        foreach (var type in typeof(EveryCapabilityRunsItsContractTests).Assembly.GetTypes().Where(t => !t.IsAbstract))
        {
            for (var b = type.BaseType; b is not null; b = b.BaseType)
            {
                if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(OfflineCapabilityContract<>))
                {
                    var engine = type.GetCustomAttributes(typeof(ContractEngineAttribute), inherit: false)
                        .Cast<ContractEngineAttribute>().SingleOrDefault()?.Engine;
                    Assert.True(engine is not null, $"{type.Name} runs a contract suite but names no engine ([ContractEngine]).");
                    suites.Add((engine, b.GetGenericArguments()[0]));
                }
            }
        }

        return suites;
    }
}
