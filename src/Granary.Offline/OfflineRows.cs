using System.Data.Common;

namespace Granary.Offline;

/// <summary>
/// Rows streaming out of an offline engine. Owns the reader and whatever keeps it alive (command, connection):
/// disposing this releases them all.
/// </summary>
public sealed class OfflineRows : IAsyncDisposable
{
    private readonly IAsyncDisposable[] _owned;

    public OfflineRows(DbDataReader reader, params IAsyncDisposable[] owned)
    {
        Reader = reader;
        _owned = owned;
    }

    /// <summary>The rows; read forward only.</summary>
    public DbDataReader Reader { get; }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
