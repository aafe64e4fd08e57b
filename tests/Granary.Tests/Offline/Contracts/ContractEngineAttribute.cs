namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// The engine a contract suite runs on. The engines are internal, so a public test class cannot name one as a type
/// argument; <see cref="EveryCapabilityRunsItsContractTests"/> reads this instead to match suites to engines.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ContractEngineAttribute(Type engine) : Attribute
{
    public Type Engine { get; } = engine;
}
