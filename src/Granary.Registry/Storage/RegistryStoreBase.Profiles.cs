using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Quality.Profiles;

namespace Granary.Registry.Storage;

/// <summary>The stored profiles' half of a registry store (<see cref="Monitoring.IProfileStore"/>), SQL shared by every database.</summary>
internal abstract partial class RegistryStoreBase
{
    private const string UpsertProfileSql = """
        INSERT INTO granary_profiles (project, id, view_name, start_time, end_time, created_at, profile)
        VALUES (@project, @id, @view, @start, @end, @created_at, @profile)
        ON CONFLICT (project, id) DO UPDATE SET
            view_name = excluded.view_name, start_time = excluded.start_time, end_time = excluded.end_time,
            created_at = excluded.created_at, profile = excluded.profile
        """;

    private const string SelectProfileSql = "SELECT id, profile FROM granary_profiles WHERE project = @project AND id = @id";

    // Ids are version-7 GUIDs, ordered by creation time too: they settle profiles created in the same microsecond.
    private const string SelectProfilesSql = """
        SELECT id, profile FROM granary_profiles WHERE project = @project AND view_name = @view
        ORDER BY created_at DESC, id DESC LIMIT @limit
        """;

    private const string CountProfilesSql = "SELECT count(*) FROM granary_profiles WHERE project = @project AND view_name = @view";

    /// <inheritdoc />
    public Task SaveProfileAsync(string project, ViewProfile profile, CancellationToken cancellationToken = default) =>
        GuardAsync(SaveProfileAsyncCore(project, profile, cancellationToken));

    /// <inheritdoc />
    public Task<ViewProfile?> GetProfileAsync(string project, string id, CancellationToken cancellationToken = default) =>
        GuardAsync(GetProfileAsyncCore(project, id, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<ViewProfile>> ListProfilesAsync(string project, string view, int limit = 100, CancellationToken cancellationToken = default) =>
        GuardAsync(ListProfilesAsyncCore(project, view, limit, cancellationToken));

    /// <inheritdoc />
    public Task<int> CountProfilesAsync(string project, string view, CancellationToken cancellationToken = default) =>
        GuardAsync(CountProfilesAsyncCore(project, view, cancellationToken));

    private async Task SaveProfileAsyncCore(string project, ViewProfile profile, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.Id, nameof(profile));
        ArgumentException.ThrowIfNullOrEmpty(profile.View, nameof(profile));

        // Stored in Granary's one timestamp form, so what is read back equals what was stored, JSON and columns alike.
        var normalized = profile with
        {
            Start = ToUtcMicroseconds(profile.Start),
            End = ToUtcMicroseconds(profile.End),
            CreatedAt = ToUtcMicroseconds(profile.CreatedAt),
        };
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, UpsertProfileSql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@id", normalized.Id);
        AddParameter(command, "@view", normalized.View);
        AddParameter(command, "@start", ToDbTimestamp(normalized.Start));
        AddParameter(command, "@end", ToDbTimestamp(normalized.End));
        AddParameter(command, "@created_at", ToDbTimestamp(normalized.CreatedAt));
        SetJsonType(AddParameter(command, "@profile", ProfileJson.Serialize(normalized)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ViewProfile?> GetProfileAsyncCore(string project, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectProfileSql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadProfile(reader.GetString(0), reader.GetString(1)) : null;
    }

    private async Task<IReadOnlyList<ViewProfile>> ListProfilesAsyncCore(string project, string view, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(view);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectProfilesSql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@view", view);
        AddParameter(command, "@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var profiles = new List<ViewProfile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            profiles.Add(ReadProfile(reader.GetString(0), reader.GetString(1)));
        }

        return profiles;
    }

    private async Task<int> CountProfilesAsyncCore(string project, string view, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentException.ThrowIfNullOrEmpty(view);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, CountProfilesSql);
        AddParameter(command, "@project", project);
        AddParameter(command, "@view", view);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private ViewProfile ReadProfile(string id, string json)
    {
        try
        {
            return ProfileJson.Deserialize(json);
        }
        catch (JsonException e)
        {
            throw new GranaryException(ErrorCodes.RegistryUnavailable, $"Stored profile '{id}' in the {Location} cannot be read: {e.Message}", e);
        }
    }
}
