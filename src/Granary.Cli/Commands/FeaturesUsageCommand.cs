using System.CommandLine;
using Granary.Governance;
using Granary.Server.Http.Governance;

namespace Granary.Cli.Commands;

/// <summary><c>granary features usage record --feature F --model M ...</c>: records that a model used a feature, as <c>POST /api/v1/features/usage</c> does.</summary>
internal static class FeaturesUsageCommand
{
    public static Command Create()
    {
        var feature = new Option<string>("--feature") { Description = "The feature used (view:feature or a bare name).", Required = true, HelpName = "F" };
        var model = new Option<string>("--model") { Description = "The model that used it.", Required = true, HelpName = "M" };
        var modelVersion = new Option<string?>("--model-version") { Description = "The model's version.", HelpName = "V" };
        var environment = new Option<string?>("--environment") { Description = "dev, staging or production (the store's usage environment by default).", HelpName = "E" };
        environment.AcceptOnlyFromAmong("dev", "staging", "production");
        var importance = new Option<double?>("--importance") { Description = "The feature's importance in the model.", HelpName = "X" };
        var correlation = new Option<double?>("--correlation") { Description = "The feature's correlation with the model's target, from -1 to 1.", HelpName = "X" };
        var version = new Option<string?>("--version") { Description = "The feature version used; the current one by default.", HelpName = "V" };
        var format = FeaturesOutput.CreateFormatOption();
        var record = new Command("record", "Record that a model used a feature.") { feature, model, modelVersion, environment, importance, correlation, version, format };
        CommandRunner.SetAction(record, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var usage = await store.Catalog.RecordUsageAsync(
                new FeatureUsageRecord(parseResult.GetValue(feature)!, parseResult.GetValue(model)!)
                {
                    ModelVersion = parseResult.GetValue(modelVersion),
                    Environment = parseResult.GetValue(environment),
                    FeatureImportance = parseResult.GetValue(importance),
                    CorrelationWithTarget = parseResult.GetValue(correlation),
                    FeatureVersion = parseResult.GetValue(version),
                },
                cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, usage, GovernanceJson.WriteUsage);
                return 0;
            }

            context.Output.WriteLine($"Recorded: {usage.UsedByModel} used {usage.FeatureName} {usage.FeatureVersion} in {usage.Environment}.");
            return 0;
        });

        return new Command("usage", "Record feature usage by models.") { record };
    }
}
