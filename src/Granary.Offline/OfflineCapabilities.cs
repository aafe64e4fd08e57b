using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Offline;

/// <summary>How callers ask an <see cref="IOfflineEngine"/> for the capability they need.</summary>
internal static class OfflineCapabilities
{
    /// <summary>
    /// The engine's <typeparamref name="TCapability"/>; a <see cref="GranaryException"/>
    /// (<see cref="ErrorCodes.InvalidArgument"/>) naming the engine and what was asked of it when it has none, rather
    /// than a cast that fails somewhere inside.
    /// </summary>
    /// <param name="engine">The engine to ask.</param>
    /// <param name="action">What the caller was about to do, completing "The duckdb offline engine cannot ...", e.g. "log pushed rows".</param>
    /// <param name="hint">What the user can do instead, a sentence; optional.</param>
    public static TCapability Require<TCapability>(this IOfflineEngine engine, string action, string? hint = null)
        where TCapability : class
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.GetCapability<TCapability>() ?? throw new GranaryException(
            ErrorCodes.InvalidArgument,
            $"The {engine.Name} offline engine cannot {action}.{(hint is null ? " Configure an offline_store that can, in granary.yaml." : " " + hint)}");
    }
}
