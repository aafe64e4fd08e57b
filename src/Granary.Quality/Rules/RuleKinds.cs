namespace Granary.Quality.Rules;

/// <summary>The rule kinds' spellings, as <c>validation:</c> declares them (<see cref="Core.Model.ValidationRuleKinds"/>).</summary>
internal static class RuleKinds
{
    public const string Range = "range";
    public const string NotNull = "not_null";
    public const string Enum = "enum";
    public const string Regex = "regex";
    public const string MaxNullFraction = "max_null_fraction";
    public const string Unique = "unique";
    public const string Expression = "expression";
}
