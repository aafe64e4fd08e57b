using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Monitoring;
using Granary.Core.Errors;
using Granary.Quality.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/profiles?view=V[&amp;limit=N]</c>: a view's stored profiles, newest first, as summaries
/// with the total; <c>GET /api/v1/monitoring/profiles/{id}</c>: one profile whole, without its baselines. Both bodies
/// are the bytes <c>granary profile ... --format json</c> prints.
/// </summary>
internal static class ProfileEndpoints
{
    public const int DefaultLimit = 100;

    private const string ListName = "monitoring-profiles-list";
    private const string GetName = "monitoring-profiles-get";

    /// <summary>Maps both under <paramref name="monitoring"/> (the <c>/api/v1/monitoring</c> group), with their refusals.</summary>
    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet("/profiles", (HttpContext context, CancellationToken _) => runner.RunAsync(context, ListName, ListAsync))
            .WithName("ListProfiles").WithSummary("?view=V: the view's stored profiles, newest first, as summaries, at most limit (1 to 1000, default 100), and how many there are.")
            .ProducesJson(StatusCodes.Status200OK, ProfileResponseJson.ListSchema)
            .ProducesJson(StatusCodes.Status400BadRequest, ErrorResponseJson.Schema)
            .ProducesJson(StatusCodes.Status404NotFound, ErrorResponseJson.Schema)
            .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
        monitoring.MapGet("/profiles/{id}", (HttpContext context, string id, CancellationToken _) => runner.RunAsync(context, GetName, (c, r) => GetAsync(c, r, id)))
            .WithName("GetProfile").WithSummary("One stored profile by id, without the baselines drift compares with (404 not_found for an unknown id).")
            .ProducesJson(StatusCodes.Status200OK, ProfileResponseJson.Schema)
            .ProducesJson(StatusCodes.Status404NotFound, ErrorResponseJson.Schema)
            .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
        monitoring.MapRefusals(runner, "/profiles", HttpMethods.Get, ListName);
        monitoring.MapRefusals(runner, "/profiles/{id}", HttpMethods.Get, GetName);
    }

    private static async Task ListAsync(HttpContext context, EndpointRunner runner)
    {
        var view = Text(context.Request.Query, "view") ?? throw Invalid("view: missing; name the feature view, e.g. ?view=user_stats.");
        var limit = Limit(context.Request.Query);
        var profiles = await runner.Store.ListProfilesAsync(view, limit, context.RequestAborted);
        var total = await runner.Store.CountProfilesAsync(view, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, (profiles, total), static (writer, state) => ProfileJson.WriteList(writer, state.profiles, state.total));
    }

    private static async Task GetAsync(HttpContext context, EndpointRunner runner, string id)
    {
        var profile = await runner.Store.GetProfileAsync(id, context.RequestAborted)
            ?? throw new GranaryException(ErrorCodes.NotFound, $"No stored profile '{id}' in project '{runner.Store.Project}'; 'granary profile list VIEW' lists a view's.");
        var body = ProfileJson.Report(profile);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static int Limit(IQueryCollection query)
    {
        var text = Text(query, "limit");
        if (text is null)
        {
            return DefaultLimit;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= FeatureStore.MaxProfilesListed
            ? value
            : throw Invalid($"limit: '{text}' is not a whole number from 1 to {FeatureStore.MaxProfilesListed}.");
    }

    private static string? Text(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            throw Invalid($"{name}: given {values.Count} times; give it once.");
        }

        var text = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static GranaryException Invalid(string detail) => new(ErrorCodes.InvalidArgument, detail);
}
