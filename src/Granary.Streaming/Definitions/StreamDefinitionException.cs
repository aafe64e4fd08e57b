namespace Granary.Streaming.Definitions;

/// <summary>
/// A stream feature view's aggregations do not make sense: an unknown function, a window that is not a multiple of
/// its hop, a column the events do not carry... <see cref="Path"/> says where in the view, in the definition's own
/// words (<c>aggregations[2].windows[1]</c>), so a loader can point at the file and line.
/// </summary>
internal sealed class StreamDefinitionException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}
