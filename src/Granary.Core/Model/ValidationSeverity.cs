namespace Granary.Core.Model;

/// <summary>What a failed validation rule does: <c>error</c> blocks the row, <c>warn</c> only reports it.</summary>
public enum ValidationSeverity
{
    Error,
    Warn,
}
