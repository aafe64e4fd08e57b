using Granary.Contracts.Errors;

namespace Granary.Core.Errors;

/// <summary>Thrown when a repository's definitions contain mistakes; carries every mistake found, not just the first.</summary>
public sealed class DefinitionException : GranaryException
{
    public DefinitionException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count > 0 ? diagnostics[0].Code : ErrorCodes.InvalidDefinition, Describe(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public DefinitionException()
        : this([])
    {
    }

    public DefinitionException(string message)
        : this([new Diagnostic(ErrorCodes.InvalidDefinition, message, null)])
    {
    }

    public DefinitionException(string message, Exception innerException)
        : base(ErrorCodes.InvalidDefinition, message, innerException)
    {
        Diagnostics = [new Diagnostic(ErrorCodes.InvalidDefinition, message, null)];
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics) => diagnostics.Count switch
    {
        0 => "The definitions are invalid.",
        1 => diagnostics[0].ToString(),
        _ => $"{diagnostics.Count} mistakes in the definitions:{Environment.NewLine}  "
             + string.Join(Environment.NewLine + "  ", diagnostics),
    };
}
