namespace Granary.Contracts.Http.Governance;

/// <summary>A feature's <c>transformation</c>, <c>{"transformation_type", "code", "parameters"}</c>, in requests and answers alike.</summary>
internal static class TransformationJson
{
    public static readonly JsonField TransformationType = new(
        "transformation_type", JsonFieldKind.String, "How the feature is computed: sql, csharp, expression, python, spark, ...", required: true);

    public static readonly JsonField Code = new("code", JsonFieldKind.String, "The transformation's code.", required: true);

    public static readonly JsonField Parameters = new("parameters", JsonFieldKind.AnyObject, "The transformation's parameters, any JSON values by name.");

    public static JsonBodySchema Schema { get; } = new("FeatureTransformation", "How a feature is computed.", [TransformationType, Code, Parameters]);
}
