namespace Granary.Resolution;

/// <summary>
/// Where a view's online records live, per major version: major 1 under the view's name (so records written before
/// views had versions stay valid), major N ≥ 2 under <c>view@vN</c>. Materialization, push, write-to-online-store,
/// stream ingest, reads and watermarks all key by this, so a breaking change never reads records of the old layout.
/// </summary>
internal static class OnlineNamespace
{
    public static string Of(string view, int major) => major <= 1 ? view : $"{view}@v{major}";
}
