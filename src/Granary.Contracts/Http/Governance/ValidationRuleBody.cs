using System.Text.Json;

namespace Granary.Contracts.Http.Governance;

/// <summary>One of <c>validation_rules</c> (or <c>validation_snapshot</c>) as a request sent it.</summary>
internal sealed record ValidationRuleBody(string RuleType, bool IsBlocking, IReadOnlyDictionary<string, JsonElement> Parameters);
