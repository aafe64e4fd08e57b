using System.CommandLine;
using Granary.Core.Model;
using Granary.Registry.Storage;

namespace Granary.Cli.Commands;

/// <summary><c>granary history</c>: the registry's applies, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "How many applies to show.", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "List the registry's applies, newest first: version, when, by whom, what changed.") { limit };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var history = await store.GetHistoryAsync(parseResult.GetValue(limit), cancellationToken);
            if (history.Count == 0)
            {
                context.Output.WriteLine($"Project '{store.Project}' has not been applied yet.");
            }

            foreach (var record in history)
            {
                context.Output.WriteLine($"v{record.Version}  {record.AppliedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {record.AppliedBy}  {Summarize(record.Changes)}");
                foreach (var change in record.Changes)
                {
                    context.Output.WriteLine($"    {Symbol(change.Action)} {change.Kind.DisplayName()} {change.Name}");
                }
            }

            return 0;
        });
        return command;
    }

    private static string Summarize(IReadOnlyList<ObjectChange> changes)
    {
        int added = 0, updated = 0, removed = 0;
        foreach (var change in changes)
        {
            _ = change.Action switch
            {
                ChangeAction.Add => added++,
                ChangeAction.Update => updated++,
                _ => removed++,
            };
        }

        return changes.Count == 0 ? "no changes" : $"{added} added, {updated} changed, {removed} removed";
    }

    private static char Symbol(ChangeAction action) => action switch
    {
        ChangeAction.Add => '+',
        ChangeAction.Update => '~',
        _ => '-',
    };
}
