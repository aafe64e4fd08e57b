using Granary.Core.Model;

namespace Granary.Registry.Storage;

/// <summary>One object added, updated or removed by an apply.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Action">What happens to it.</param>
/// <param name="NewSpec">Canonical JSON after the change; null for a removal.</param>
/// <param name="NewHash">SHA-256 of <paramref name="NewSpec"/>; null for a removal.</param>
/// <param name="OldHash">The hash before the change; null for an addition.</param>
public sealed record ObjectChange(
    ObjectKind Kind,
    string Name,
    ChangeAction Action,
    string? NewSpec,
    string? NewHash,
    string? OldHash);
