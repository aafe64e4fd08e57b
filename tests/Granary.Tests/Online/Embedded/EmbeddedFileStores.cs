using Granary.Online.Embedded;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Online.Embedded;

/// <summary>
/// Embedded store instances over files of one temporary folder, for tests that open several instances on one file (as
/// several processes would) or look at the file itself; every instance is disposed and the folder deleted at the end.
/// </summary>
internal sealed class EmbeddedFileStores(string name) : IDisposable
{
    private readonly List<EmbeddedOnlineStore> _stores = [];

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));

    /// <summary>The file the instances share unless told another.</summary>
    public string DbPath => Path.Combine(Folder, "data", "online.db");

    public async Task<EmbeddedOnlineStore> Open(TimeSpan refreshInterval, string? path = null)
    {
        var store = new EmbeddedOnlineStore(path ?? DbPath, refreshInterval);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>A single number read from the shared file on a connection of its own.</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
