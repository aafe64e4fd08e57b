using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Server.Http;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary get-online --entity user_id=42 [--entity ...] --features v:f,... | --feature-service NAME</c>: the
/// latest values from the online store, printed as Feast's JSON response; or <c>--address view:feature:key</c>: one
/// value, printed as <c>{"value", "status", "event_timestamp"}</c>.
/// </summary>
internal static class GetOnlineCommand
{
    public static Command Create()
    {
        var entities = new Option<string[]>("--entity")
        {
            Description = "An entity as join_key=value (composite keys: user_id=1,ad_id=7); repeat for several entities.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "KEY=VALUE",
        };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature references: view:feature,view:feature.", HelpName = "REFS" };
        var service = new Option<string?>("--feature-service") { Description = "A feature service whose features to read, instead of --features.", HelpName = "NAME" };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name features view__feature." };
        var address = new Option<string?>("--address")
        {
            Description = "One value by its address {feature_view}:{feature}:{entity_key}, the key as JSON (42, \"A1\", [42,7] for a composite key), instead of --entity.",
            HelpName = "VIEW:FEATURE:KEY",
        };
        var command = new Command("get-online", "Read the latest feature values of entities from the online store, as JSON.") { entities, features, service, fullNames, address };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var entityArguments = parseResult.GetValue(entities) ?? [];
            if (parseResult.GetValue(address) is { } single)
            {
                if (entityArguments.Length > 0 || parseResult.GetValue(features) is not null || parseResult.GetValue(service) is not null)
                {
                    throw new GranaryException(ErrorCodes.InvalidArgument, "--address names one value by itself; give it without --entity, --features and --feature-service.");
                }

                await using var addressed = await context.OpenAppliedStoreAsync(cancellationToken);
                context.Output.WriteLine(ValueJson(await addressed.GetOnlineValueAsync(single, cancellationToken)));
                return 0;
            }

            if (entityArguments.Length == 0)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, "Give the entities to read with --entity join_key=value (repeat for several), or one value with --address view:feature:key.");
            }

            var request = new OnlineFeaturesRequest
            {
                Entities = ParseEntities(entityArguments),
                Features = TimeArguments.SplitList(parseResult.GetValue(features)),
                FeatureService = parseResult.GetValue(service),
                FullFeatureNames = parseResult.GetValue(fullNames),
            };
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var response = await store.GetOnlineFeaturesAsync(request, cancellationToken);
            context.Output.WriteLine(OnlineResponseJson.ToIndentedString(response));
            return 0;
        });
        return command;
    }

    /// <summary><c>{"value", "status", "event_timestamp"}</c>, with the value typed as in Feast's JSON responses.</summary>
    internal static string ValueJson(OnlineValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            OnlineResponseJson.WriteValue(writer, value.Value);
            writer.WriteString("status", value.Status.WireName());
            if (value.EventTimestamp is { } at)
            {
                writer.WriteString("event_timestamp", at.UtcDateTime);
            }
            else
            {
                writer.WriteNull("event_timestamp");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Turns <c>user_id=1,ad_id=7</c> arguments into Feast's column-major entities.</summary>
    internal static Dictionary<string, IReadOnlyList<object?>> ParseEntities(string[] arguments)
    {
        var columns = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        for (var row = 0; row < arguments.Length; row++)
        {
            foreach (var pair in arguments[row].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new GranaryException(ErrorCodes.InvalidArgument, $"--entity '{arguments[row]}': expected join_key=value, e.g. user_id=42.");
                }

                var key = pair[..equals];
                if (!columns.TryGetValue(key, out var values))
                {
                    if (row > 0)
                    {
                        throw new GranaryException(ErrorCodes.InvalidArgument, $"--entity '{arguments[row]}': every entity needs the same join keys; '{key}' is not in the first.");
                    }

                    values = [];
                    columns[key] = values;
                }

                values.Add(pair[(equals + 1)..]);
            }
        }

        var result = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var (key, values) in columns)
        {
            if (values.Count != arguments.Length)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"--entity: join key '{key}' is given for {values.Count} of {arguments.Length} entities.");
            }

            result[key] = values;
        }

        return result;
    }
}
