namespace Granary.Registry.Governance;

/// <summary>What an apply does to one catalog entry.</summary>
public enum CatalogChangeAction
{
    /// <summary>A new entry at 1.0.0 (a new view or feature, or one of a registry applied before the catalog existed).</summary>
    Create,

    /// <summary>A new version that becomes current.</summary>
    Version,

    /// <summary>A new version staged by <c>apply --no-promote</c>: not current until a plain apply of the same definitions.</summary>
    Stage,

    /// <summary>A staged version becomes current.</summary>
    Promote,

    /// <summary>The view or feature is no longer defined: its entry is archived, its history kept.</summary>
    Archive,

    /// <summary>Only the entry's metadata changes (keys the definitions set or stopped setting); no new version.</summary>
    Metadata,
}
