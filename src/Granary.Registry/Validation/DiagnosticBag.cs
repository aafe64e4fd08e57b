using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Registry.Validation;

/// <summary>Collects every mistake found, so a user sees them all in one run rather than one per run.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly List<Diagnostic> _warnings = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>Advice that does not stop a plan or an apply (a missing index, for example).</summary>
    public IReadOnlyList<Diagnostic> Warnings => _warnings;

    public bool HasErrors => _items.Count > 0;

    public void Add(string code, string message, SourceLocation? location) => _items.Add(new Diagnostic(code, message, location));

    public void AddWarning(string code, string message, SourceLocation? location) => _warnings.Add(new Diagnostic(code, message, location));

    /// <summary>Throws <see cref="DefinitionException"/> with every diagnostic, ordered by file and line, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count == 0)
        {
            return;
        }

        var sorted = new List<Diagnostic>(_items);
        sorted.Sort(static (a, b) =>
        {
            var byFile = string.CompareOrdinal(a.Location?.File, b.Location?.File);
            if (byFile != 0)
            {
                return byFile;
            }

            var byLine = (a.Location?.Line ?? 0).CompareTo(b.Location?.Line ?? 0);
            return byLine != 0 ? byLine : (a.Location?.Column ?? 0).CompareTo(b.Location?.Column ?? 0);
        });
        throw new DefinitionException(sorted);
    }
}
