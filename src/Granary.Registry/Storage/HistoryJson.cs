using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Registry.Storage;

/// <summary>
/// The JSON kept in a history row's <c>changes</c> column: one element per <see cref="ObjectChange"/> with the kind key,
/// name, lowercase action and hashes. The new spec is left out on purpose: the row's <c>definitions</c> column already
/// holds the whole repository as applied, so storing each spec again would only double the row.
/// </summary>
internal static class HistoryJson
{
    public static string Serialize(IReadOnlyList<ObjectChange> changes)
    {
        var rows = new HistoryChange[changes.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var c = changes[i];
            rows[i] = new HistoryChange(c.Kind.Key(), c.Name, ActionKey(c.Action), c.NewHash, c.OldHash);
        }

        return JsonSerializer.Serialize(rows, HistoryJsonContext.Default.HistoryChangeArray);
    }

    public static IReadOnlyList<ObjectChange> Deserialize(string json, string project, long version)
    {
        var rows = JsonSerializer.Deserialize(json, HistoryJsonContext.Default.HistoryChangeArray) ?? [];
        var changes = new ObjectChange[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            if (!ObjectKinds.TryParseKey(row.Kind, out var kind) || !TryParseAction(row.Action, out var action))
            {
                throw new GranaryException(
                    ErrorCodes.RegistryUnavailable,
                    $"History entry {version} of project '{project}' has an unknown kind '{row.Kind}' or action '{row.Action}'; the registry was written by a newer Granary.");
            }

            changes[i] = new ObjectChange(kind, row.Name, action, NewSpec: null, row.NewHash, row.OldHash);
        }

        return changes;
    }

    private static string ActionKey(ChangeAction action) => action switch
    {
        ChangeAction.Add => "add",
        ChangeAction.Update => "update",
        ChangeAction.Remove => "remove",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static bool TryParseAction(string key, out ChangeAction action)
    {
        action = key switch
        {
            "add" => ChangeAction.Add,
            "update" => ChangeAction.Update,
            "remove" => ChangeAction.Remove,
            _ => (ChangeAction)(-1),
        };
        return action >= 0;
    }
}

/// <summary>One element of the <c>changes</c> array, as stored.</summary>
internal sealed record HistoryChange(string Kind, string Name, string Action, string? NewHash, string? OldHash);

/// <summary>Source-generated (reflection-free) serialization of <see cref="HistoryChange"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HistoryChange[]))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
