namespace Granary.Registry.Storage;

/// <summary>What an apply does to one object.</summary>
public enum ChangeAction
{
    Add,
    Update,
    Remove,
}
