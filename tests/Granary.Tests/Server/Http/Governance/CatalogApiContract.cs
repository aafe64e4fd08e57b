using System.Net;
using System.Text.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Server.Http.Governance;

/// <summary>
/// Every operation of the governance REST API under <c>/api/v1</c> and each of its refusals, over HTTP against a
/// real server; one subclass per registry (SQLite, PostgreSQL). Each test registers features named after itself.
/// </summary>
public abstract class CatalogApiContract(CatalogServer served)
{
    protected CatalogServer Served { get; } = served;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static string Feature(string name, string extra = "") =>
        $$"""{"feature_name": "{{name}}", "feature_type": "derived", "data_type": "float", "description": "d", "owner": "o_{{name}}"{{extra}}}""";

    private static void AssertRefused(HttpResponseMessage response, JsonElement body, HttpStatusCode status, string code, params string[] detailNames)
    {
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal(code, body.GetProperty("error").GetString());
        foreach (var name in detailNames)
        {
            Assert.Contains(name, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_answers_201_with_the_feature_as_a_draft_at_1_0_0_in_the_seeds_fields()
    {
        var body = await Served.CreateAsync("""
            {"feature_name": "create_rsi", "feature_type": "technical_indicator", "data_type": "float", "description": "RSI over 14 days",
             "owner": "quant", "tags": ["team=ads", "momentum"],
             "transformation": {"transformation_type": "sql", "code": "SELECT rsi(close, 14)", "parameters": {"window": 14}},
             "validation_rules": [{"rule_type": "range", "parameters": {"min": 0, "max": 100}, "is_blocking": true}]}
            """);

        Assert.Equal(
            ["feature_name", "kind", "feature_type", "data_type", "description", "owner", "tags", "status", "transformation", "validation_rules",
             "upstream_features", "downstream_features", "usage_count", "last_used_at", "created_at", "updated_at", "deprecated_at", "current_version"],
            body.EnumerateObject().Select(p => p.Name).ToList());
        Assert.Equal(("create_rsi", "feature", "technical_indicator"), (body.GetProperty("feature_name").GetString(), body.GetProperty("kind").GetString(), body.GetProperty("feature_type").GetString()));
        Assert.Equal("float64", body.GetProperty("data_type").GetString());
        Assert.Equal(("draft", "1.0.0"), (body.GetProperty("status").GetString(), body.GetProperty("current_version").GetString()));
        Assert.Equal(["momentum", "team=ads"], Strings(body.GetProperty("tags")).Order(StringComparer.Ordinal));
        Assert.Equal(14, body.GetProperty("transformation").GetProperty("parameters").GetProperty("window").GetInt32());
        var rule = Assert.Single(body.GetProperty("validation_rules").EnumerateArray());
        Assert.Equal(("range", true, 100), (rule.GetProperty("rule_type").GetString(), rule.GetProperty("is_blocking").GetBoolean(), rule.GetProperty("parameters").GetProperty("max").GetInt32()));
        Assert.Equal(0, body.GetProperty("usage_count").GetInt64());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("deprecated_at").ValueKind);

        var (got, again) = await Served.GetAsync("/api/v1/features/create_rsi");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(body.GetRawText(), again.GetRawText());
    }

    [Fact]
    public async Task Create_of_an_existing_name_or_of_a_feature_a_view_defines_is_409_already_exists()
    {
        await Served.CreateAsync(Feature("twice"));

        var (second, body) = await Served.PostAsync("/api/v1/features", Feature("twice"));
        var (defined, definedBody) = await Served.PostAsync("/api/v1/features", Feature("user_stats:orders_7d"));
        var (view, viewBody) = await Served.PostAsync("/api/v1/features", Feature("user_stats"));

        AssertRefused(second, body, HttpStatusCode.Conflict, "already_exists", "twice");
        AssertRefused(defined, definedBody, HttpStatusCode.Conflict, "already_exists", "user_stats:orders_7d");
        AssertRefused(view, viewBody, HttpStatusCode.Conflict, "already_exists", "user_stats");
    }

    [Theory]
    [InlineData("""{"feature_name": 3}""", "feature_name")]
    [InlineData("""{"description": "no name"}""", "feature_name")]
    [InlineData("""{"feature_name": "bad_tags", "tags": "a,b"}""", "tags")]
    [InlineData("""{"feature_name": "bad_tag_item", "tags": ["a", 2]}""", "tags[1]")]
    [InlineData("""{"feature_name": "bad_rule", "validation_rules": [{"parameters": {}}]}""", "validation_rules[0].rule_type")]
    [InlineData("""{"feature_name": "bad_blocking", "validation_rules": [{"rule_type": "range", "is_blocking": "yes"}]}""", "validation_rules[0].is_blocking")]
    [InlineData("""{"feature_name": "bad_code", "transformation": {"transformation_type": "sql"}}""", "transformation.code")]
    [InlineData("""{"feature_name": "bad_type", "feature_type": "vibes"}""", "feature_type")]
    [InlineData("""{"feature_name": "bad_dtype", "data_type": "quaternion"}""", "data_type")]
    [InlineData("""{"feature_name": "not a name"}""", "feature_name")]
    [InlineData("""[1, 2]""", "body")]
    public async Task A_create_body_of_the_wrong_shape_is_400_naming_the_field(string json, string field)
    {
        var (response, body) = await Served.PostAsync("/api/v1/features", json);

        AssertRefused(response, body, HttpStatusCode.BadRequest, "invalid_argument", field);
    }

    [Fact]
    public async Task Malformed_json_is_400_invalid_json_and_a_body_not_declared_json_is_415()
    {
        var (malformed, malformedBody) = await Served.PostAsync("/api/v1/features", """{"feature_name": """);
        var (text, textBody) = await Served.SendAsync(HttpMethod.Post, "/api/v1/features", Feature("as_text"), "text/plain");

        AssertRefused(malformed, malformedBody, HttpStatusCode.BadRequest, "invalid_json");
        AssertRefused(text, textBody, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task An_unknown_feature_is_404_not_found_on_every_operation_that_names_one()
    {
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/api/v1/features/nowhere"), (HttpMethod.Delete, "/api/v1/features/nowhere"), (HttpMethod.Post, "/api/v1/features/nowhere/activate"),
            (HttpMethod.Post, "/api/v1/features/nowhere/deprecate"), (HttpMethod.Post, "/api/v1/features/nowhere/archive"), (HttpMethod.Get, "/api/v1/features/nowhere/versions"),
            (HttpMethod.Post, "/api/v1/features/nowhere/rollback?target_version=1.0.0"), (HttpMethod.Get, "/api/v1/features/nowhere/lineage"),
            (HttpMethod.Get, "/api/v1/features/nowhere/statistics"), (HttpMethod.Get, "/api/v1/features/nowhere/impact"),
        })
        {
            var (response, body) = await Served.SendAsync(method, path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode} {body}");
            Assert.Equal("not_found", body.GetProperty("error").GetString());
            Assert.Contains("nowhere", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var (put, putBody) = await Served.PutAsync("/api/v1/features/nowhere", """{"owner": "x"}""");
        AssertRefused(put, putBody, HttpStatusCode.NotFound, "not_found", "nowhere");
    }

    [Fact]
    public async Task A_url_encoded_view_feature_name_is_the_feature_of_the_view()
    {
        var (response, body) = await Served.GetAsync("/api/v1/features/user_stats%3Aorders_7d/lineage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user_stats:orders_7d", body.GetProperty("feature_name").GetString());
        Assert.Contains(body.GetProperty("upstream").EnumerateArray(), n => n.GetProperty("kind").GetString() == "feature_view" && n.GetProperty("name").GetString() == "user_stats");
        Assert.Contains(body.GetProperty("downstream").EnumerateArray(), n => n.GetProperty("kind").GetString() == "feature_service" && n.GetProperty("name").GetString() == "recommender");
    }

    [Fact]
    public async Task List_filters_by_owner_type_status_and_all_tags_and_pages_with_the_total()
    {
        await Served.CreateAsync("""{"feature_name": "list_a", "owner": "lister", "feature_type": "raw", "tags": ["x", "y"]}""");
        await Served.CreateAsync("""{"feature_name": "list_b", "owner": "lister", "feature_type": "derived", "tags": ["x"]}""");
        await Served.CreateAsync("""{"feature_name": "list_c", "owner": "lister", "feature_type": "derived", "tags": ["y"]}""");
        await Served.PostAsync("/api/v1/features/list_c/activate");

        async Task<(string Names, int Total)> ListAsync(string query)
        {
            var (response, body) = await Served.GetAsync("/api/v1/features?owner=lister" + query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {body}");
            return (string.Join(",", body.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature_name").GetString())), body.GetProperty("total").GetInt32());
        }

        Assert.Equal(("list_a,list_b,list_c", 3), await ListAsync(""));
        Assert.Equal(("list_a", 1), await ListAsync("&tags=x,y"));
        Assert.Equal(("list_a,list_b", 2), await ListAsync("&tags=x"));
        Assert.Equal(("list_b,list_c", 2), await ListAsync("&feature_type=derived"));
        Assert.Equal(("list_c", 1), await ListAsync("&status=active"));
        Assert.Equal(("list_b", 3), await ListAsync("&skip=1&limit=1"));
        Assert.Equal(("", 3), await ListAsync("&skip=5"));
    }

    [Theory]
    [InlineData("skip=-1", "skip")]
    [InlineData("skip=many", "skip")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("status=retired", "status")]
    [InlineData("feature_type=vibes", "feature_type")]
    [InlineData("kind=table", "kind")]
    public async Task A_list_query_parameter_that_does_not_read_is_400_naming_it(string query, string parameter)
    {
        var (response, body) = await Served.GetAsync("/api/v1/features?" + query);

        AssertRefused(response, body, HttpStatusCode.BadRequest, "invalid_argument", parameter);
    }

    [Fact]
    public async Task Update_changes_only_the_fields_given_and_a_status_follows_the_lifecycle()
    {
        await Served.CreateAsync(Feature("update_me", """, "tags": ["keep"]"""));

        var (response, body) = await Served.PutAsync("/api/v1/features/update_me", """{"description": "better", "owner": null, "status": "active"}""");
        var (_, read) = await Served.GetAsync("/api/v1/features/update_me");
        var (archive, archiveBody) = await Served.PutAsync("/api/v1/features/update_me", """{"status": "archived"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("better", "o_update_me", "active"), (read.GetProperty("description").GetString(), read.GetProperty("owner").GetString(), read.GetProperty("status").GetString()));
        Assert.Equal(["keep"], Strings(read.GetProperty("tags")));
        Assert.Equal(body.GetRawText(), read.GetRawText());
        AssertRefused(archive, archiveBody, HttpStatusCode.Conflict, "conflict", "active");
    }

    [Fact]
    public async Task Lifecycle_moves_draft_active_deprecated_archived_and_refuses_the_others_with_409()
    {
        await Served.CreateAsync(Feature("life"));

        var (archiveDraft, archiveDraftBody) = await Served.PostAsync("/api/v1/features/life/archive");
        var (activate, active) = await Served.PostAsync("/api/v1/features/life/activate");
        var (deprecate, deprecated) = await Served.PostAsync("/api/v1/features/life/deprecate");
        var (archive, archived) = await Served.PostAsync("/api/v1/features/life/archive");
        var (again, againBody) = await Served.PostAsync("/api/v1/features/life/deprecate");

        AssertRefused(archiveDraft, archiveDraftBody, HttpStatusCode.Conflict, "conflict", "draft");
        Assert.Equal((HttpStatusCode.OK, "active"), (activate.StatusCode, active.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "deprecated"), (deprecate.StatusCode, deprecated.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, deprecated.GetProperty("deprecated_at").ValueKind);
        Assert.Equal((HttpStatusCode.OK, "archived"), (archive.StatusCode, archived.GetProperty("status").GetString()));
        AssertRefused(again, againBody, HttpStatusCode.Conflict, "conflict", "archived");
    }

    [Fact]
    public async Task Delete_is_a_soft_204_and_is_refused_with_409_naming_active_dependents()
    {
        await Served.CreateAsync(Feature("del_base"));
        await Served.CreateAsync(Feature("del_user", """, "upstream_features": ["del_base"]"""));
        await Served.CreateAsync(Feature("del_alone"));
        await Served.PostAsync("/api/v1/features/del_base/activate");
        await Served.PostAsync("/api/v1/features/del_user/activate");
        await Served.PostAsync("/api/v1/features/del_alone/activate");

        var (refused, refusedBody) = await Served.DeleteAsync("/api/v1/features/del_base");
        var (deprecateRefused, deprecateBody) = await Served.PostAsync("/api/v1/features/del_base/deprecate");
        var (deleted, deletedBody) = await Served.DeleteAsync("/api/v1/features/del_alone");
        var (_, after) = await Served.GetAsync("/api/v1/features/del_alone");

        AssertRefused(refused, refusedBody, HttpStatusCode.Conflict, "conflict", "del_user");
        AssertRefused(deprecateRefused, deprecateBody, HttpStatusCode.Conflict, "conflict", "del_user");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(JsonValueKind.Undefined, deletedBody.ValueKind);
        Assert.Equal("deprecated", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Versions_are_created_in_order_listed_newest_first_and_the_wrong_ones_refused()
    {
        await Served.CreateAsync(Feature("versioned"));

        var (minor, minorBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "1.1.0", "changelog": "more data"}""");
        var (same, sameBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "1.1.0"}""");
        var (older, olderBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "1.0.5"}""");
        var (breaking, breakingBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "1.2.0", "breaking_changes": ["dtype float64 -> int64"]}""");
        var (major, majorBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "2.0.0", "breaking_changes": ["dtype float64 -> int64"]}""");
        var (badVersion, badVersionBody) = await Served.PostAsync("/api/v1/features/versioned/versions", """{"version": "two"}""");
        var (list, listBody) = await Served.GetAsync("/api/v1/features/versioned/versions");
        var (_, entry) = await Served.GetAsync("/api/v1/features/versioned");

        Assert.Equal(HttpStatusCode.Created, minor.StatusCode);
        Assert.Equal(("versioned", "1.1.0", "more data"), (minorBody.GetProperty("feature_name").GetString(), minorBody.GetProperty("version").GetString(), minorBody.GetProperty("changelog").GetString()));
        AssertRefused(same, sameBody, HttpStatusCode.Conflict, "already_exists", "1.1.0");
        AssertRefused(older, olderBody, HttpStatusCode.UnprocessableEntity, "unprocessable", "1.0.5");
        AssertRefused(breaking, breakingBody, HttpStatusCode.UnprocessableEntity, "unprocessable", "dtype float64 -> int64");
        Assert.Equal(HttpStatusCode.Created, major.StatusCode);
        Assert.Equal(["dtype float64 -> int64"], Strings(majorBody.GetProperty("breaking_changes")));
        AssertRefused(badVersion, badVersionBody, HttpStatusCode.BadRequest, "invalid_argument", "version");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(["2.0.0", "1.1.0", "1.0.0"], listBody.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()).ToList());
        Assert.Equal(3, listBody.GetProperty("total").GetInt32());
        Assert.Equal("2.0.0", entry.GetProperty("current_version").GetString());
    }

    [Fact]
    public async Task Fifty_concurrent_creations_of_one_version_give_one_201_and_49_409_with_history_intact()
    {
        await Served.CreateAsync(Feature("raced"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Served.PostAsync("/api/v1/features/raced/versions", """{"version": "1.1.0", "changelog": "race"}""")));
        var (_, list) = await Served.GetAsync("/api/v1/features/raced/versions");

        Assert.Equal(1, answers.Count(a => a.Response.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, answers.Count(a => a.Response.StatusCode == HttpStatusCode.Conflict && a.Body.GetProperty("error").GetString() == "already_exists"));
        Assert.Equal(["1.1.0", "1.0.0"], list.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()).ToList());
    }

    [Fact]
    public async Task Rollback_restores_the_target_as_a_new_version_and_marks_the_current_one_rolled_back()
    {
        await Served.CreateAsync(Feature("rolled", """, "transformation": {"transformation_type": "sql", "code": "v1"}"""));
        await Served.PostAsync("/api/v1/features/rolled/versions", """{"version": "1.1.0", "transformation_snapshot": {"transformation_type": "sql", "code": "v2"}}""");

        var (response, restored) = await Served.PostAsync("/api/v1/features/rolled/rollback?target_version=1.0.0");
        var (_, list) = await Served.GetAsync("/api/v1/features/rolled/versions");
        var (_, entry) = await Served.GetAsync("/api/v1/features/rolled");
        var (missing, missingBody) = await Served.PostAsync("/api/v1/features/rolled/rollback");
        var (unknown, unknownBody) = await Served.PostAsync("/api/v1/features/rolled/rollback?target_version=9.9.9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("1.1.1", "1.0.0"), (restored.GetProperty("version").GetString(), restored.GetProperty("restored_from").GetString()));
        Assert.Contains("1.0.0", restored.GetProperty("changelog").GetString(), StringComparison.Ordinal);
        Assert.Equal("v1", restored.GetProperty("transformation_snapshot").GetProperty("code").GetString());
        var versions = list.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(["1.1.1", "1.1.0", "1.0.0"], versions.Select(v => v.GetProperty("version").GetString()).ToList());
        Assert.True(versions[1].GetProperty("is_rolled_back").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, versions[1].GetProperty("rolled_back_at").ValueKind);
        Assert.False(versions[0].GetProperty("is_rolled_back").GetBoolean());
        Assert.Equal(("1.1.1", "v1"), (entry.GetProperty("current_version").GetString(), entry.GetProperty("transformation").GetProperty("code").GetString()));
        AssertRefused(missing, missingBody, HttpStatusCode.BadRequest, "invalid_argument", "target_version");
        AssertRefused(unknown, unknownBody, HttpStatusCode.NotFound, "not_found", "9.9.9");
    }

    [Fact]
    public async Task A_rolled_back_view_serves_its_restored_definition_with_an_at_version_reference()
    {
        // A minor change applied (ttl 2d -> 0: never stale) gives user_stats 1.1.0; rolling back to 1.0.0 restores ttl 2d as 1.1.1.
        Served.Repo.Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 0", StringComparison.Ordinal));
        await using (var store = FeatureStore.Open(Served.Repo.Root))
        {
            await store.ApplyAsync();
        }

        var (materialized, materializedBody) = await Served.PostAsync("/materialize", """{"start_ts": "1970-01-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats"]}""");
        Assert.True(materialized.StatusCode == HttpStatusCode.OK, materializedBody.ToString());
        var (rollback, restored) = await Served.PostAsync("/api/v1/features/user_stats/rollback?target_version=1.0.0");
        Assert.True(rollback.StatusCode == HttpStatusCode.OK, restored.ToString());

        async Task<string> StatusAsync(string reference)
        {
            var (response, body) = await Served.PostAsync("/get-online-features", "{\"features\": [\"" + reference + "\"], \"entities\": {\"user_id\": [1]}}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reference}: {body}");
            return body.GetProperty("results")[1].GetProperty("statuses")[0].GetString()!;
        }

        Assert.Equal(("1.1.1", "1.0.0"), (restored.GetProperty("version").GetString(), restored.GetProperty("restored_from").GetString()));
        // The server's clock is days after the value: fresh under the applied ttl 0, stale under the restored ttl 2d.
        Assert.Equal("PRESENT", await StatusAsync("user_stats@1.1.0:orders_7d"));
        Assert.Equal("OUTSIDE_MAX_AGE", await StatusAsync("user_stats@1.1.1:orders_7d"));
        Assert.Equal("OUTSIDE_MAX_AGE", await StatusAsync("user_stats@v1:orders_7d"));
    }

    [Fact]
    public async Task Lineage_is_direct_by_default_transitive_with_recursive_and_a_cycle_is_422()
    {
        await Served.CreateAsync(Feature("lin_a"));
        await Served.CreateAsync(Feature("lin_b", """, "upstream_features": ["lin_a"]"""));
        await Served.CreateAsync(Feature("lin_c", """, "upstream_features": ["lin_b"]"""));

        var (_, direct) = await Served.GetAsync("/api/v1/features/lin_a/lineage");
        var (_, recursive) = await Served.GetAsync("/api/v1/features/lin_a/lineage?recursive=true");
        var (_, up) = await Served.GetAsync("/api/v1/features/lin_c/lineage?recursive=true");
        var (_, entry) = await Served.GetAsync("/api/v1/features/lin_a");
        var (cycle, cycleBody) = await Served.PutAsync("/api/v1/features/lin_a", """{"upstream_features": ["lin_c"]}""");
        var (bad, badBody) = await Served.GetAsync("/api/v1/features/lin_a/lineage?recursive=maybe");

        Assert.Equal(["lin_b"], Strings(direct.GetProperty("downstream_features")));
        Assert.Empty(Strings(direct.GetProperty("all_downstream")));
        Assert.Equal((1, 2), (direct.GetProperty("direct_dependents_count").GetInt32(), direct.GetProperty("total_dependents_count").GetInt32()));
        Assert.Equal(["lin_b", "lin_c"], Strings(recursive.GetProperty("all_downstream")).Order(StringComparer.Ordinal));
        Assert.Equal(["lin_a", "lin_b"], Strings(up.GetProperty("all_upstream")).Order(StringComparer.Ordinal));
        Assert.Equal(["lin_b"], Strings(up.GetProperty("upstream_features")));
        Assert.Equal(["lin_b"], Strings(entry.GetProperty("downstream_features")));
        AssertRefused(cycle, cycleBody, HttpStatusCode.UnprocessableEntity, "unprocessable", "lin_c");
        AssertRefused(bad, badBody, HttpStatusCode.BadRequest, "invalid_argument", "recursive");
    }

    [Fact]
    public async Task Impact_names_the_feature_services_and_the_models_recorded_as_using_it()
    {
        await Served.CreateAsync(Feature("impacted"));
        await Served.PostAsync("/api/v1/features/usage", """{"feature_name": "impacted", "used_by_model": "churn", "environment": "staging"}""");

        var (served, servedBody) = await Served.GetAsync("/api/v1/features/user_stats%3Aorders_7d/impact");
        var (used, usedBody) = await Served.GetAsync("/api/v1/features/impacted/impact");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(["feature_services", "models"], servedBody.EnumerateObject().Select(p => p.Name).ToList());
        Assert.Equal(["recommender"], Strings(servedBody.GetProperty("feature_services")));
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(["churn"], Strings(usedBody.GetProperty("models")));
    }

    [Fact]
    public async Task Usage_is_recorded_with_201_and_adds_up_in_the_statistics()
    {
        await Served.CreateAsync(Feature("used"));

        var (first, recorded) = await Served.PostAsync("/api/v1/features/usage", """
            {"feature_name": "used", "used_by_model": "churn", "model_version": "3", "environment": "production", "feature_importance": 0.5,
             "correlation_with_target": 0.2, "execution_id": "run-1", "execution_duration_ms": 12.5}
            """);
        await Served.PostAsync("/api/v1/features/usage", """{"feature_name": "used", "used_by_model": "ltv", "environment": "dev", "feature_importance": 0.25}""");
        var (stats, statistics) = await Served.GetAsync("/api/v1/features/used/statistics");
        var (_, entry) = await Served.GetAsync("/api/v1/features/used");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(("used", "1.0.0", "churn", "3", "production"), (recorded.GetProperty("feature_name").GetString(), recorded.GetProperty("feature_version").GetString(),
            recorded.GetProperty("used_by_model").GetString(), recorded.GetProperty("model_version").GetString(), recorded.GetProperty("environment").GetString()));
        Assert.Equal(("run-1", 12.5), (recorded.GetProperty("execution_id").GetString(), recorded.GetProperty("execution_duration_ms").GetDouble()));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(["feature_name", "total_usage", "unique_models", "environments", "avg_importance", "avg_correlation", "last_used_at"], statistics.EnumerateObject().Select(p => p.Name).ToList());
        Assert.Equal((2L, 2), (statistics.GetProperty("total_usage").GetInt64(), statistics.GetProperty("unique_models").GetInt32()));
        Assert.Equal(["dev", "production"], Strings(statistics.GetProperty("environments")));
        Assert.Equal(0.375, statistics.GetProperty("avg_importance").GetDouble(), 9);
        Assert.Equal(0.2, statistics.GetProperty("avg_correlation").GetDouble(), 9);
        Assert.Equal(2, entry.GetProperty("usage_count").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("last_used_at").ValueKind);
    }

    [Theory]
    [InlineData("""{"used_by_model": "m"}""", HttpStatusCode.BadRequest, "invalid_argument", "feature_name")]
    [InlineData("""{"feature_name": "user_stats_x"}""", HttpStatusCode.BadRequest, "invalid_argument", "used_by_model")]
    [InlineData("""{"feature_name": "nowhere", "used_by_model": "m"}""", HttpStatusCode.NotFound, "not_found", "nowhere")]
    [InlineData("""{"feature_name": "nowhere", "used_by_model": "m", "environment": "moon"}""", HttpStatusCode.BadRequest, "invalid_argument", "environment")]
    [InlineData("""{"feature_name": "nowhere", "used_by_model": "m", "feature_importance": "high"}""", HttpStatusCode.BadRequest, "invalid_argument", "feature_importance")]
    public async Task A_usage_record_that_cannot_be_recorded_is_refused_naming_why(string json, HttpStatusCode status, string code, string named)
    {
        var (response, body) = await Served.PostAsync("/api/v1/features/usage", json);

        AssertRefused(response, body, status, code, named);
    }

    [Fact]
    public async Task Read_only_registry_lists_answer_under_api_v1_and_feature_views_carry_their_versions()
    {
        var (entities, entitiesBody) = await Served.GetAsync("/api/v1/entities");
        var (sources, sourcesBody) = await Served.GetAsync("/api/v1/data-sources");
        var (services, servicesBody) = await Served.GetAsync("/api/v1/feature-services");
        var (service, serviceBody) = await Served.GetAsync("/api/v1/feature-services/recommender");
        var (views, viewsBody) = await Served.GetAsync("/api/v1/feature-views");
        var (view, viewBody) = await Served.GetAsync("/api/v1/feature-views/user_stats");
        var (missing, missingBody) = await Served.GetAsync("/api/v1/feature-views/user_statz");

        Assert.Equal(HttpStatusCode.OK, entities.StatusCode);
        Assert.Equal(["item", "user"], entitiesBody.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(HttpStatusCode.OK, sources.StatusCode);
        Assert.Contains(sourcesBody.GetProperty("data_sources").EnumerateArray(), s => s.GetProperty("name").GetString() == "user_stats_push");
        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
        Assert.Equal(2, servicesBody.GetProperty("feature_services").GetArrayLength());
        Assert.Equal((HttpStatusCode.OK, "recommender"), (service.StatusCode, serviceBody.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, views.StatusCode);
        Assert.Equal(3, viewsBody.GetProperty("feature_views").GetArrayLength());
        Assert.All(viewsBody.GetProperty("feature_views").EnumerateArray(), v => Assert.Equal(JsonValueKind.Array, v.GetProperty("versions").ValueKind));
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("user_stats", viewBody.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, viewBody.GetProperty("spec").ValueKind);
        Assert.Equal(JsonValueKind.Array, viewBody.GetProperty("versions").ValueKind);
        AssertRefused(missing, missingBody, HttpStatusCode.NotFound, "not_found", "user_stats");
    }

    [Fact]
    public async Task A_method_a_path_does_not_take_is_405_with_allow_listing_the_ones_it_does()
    {
        var (entry, entryBody) = await Served.SendAsync(HttpMethod.Patch, "/api/v1/features/anything", "{}");
        var (list, listBody) = await Served.SendAsync(HttpMethod.Delete, "/api/v1/features");
        var (usage, _) = await Served.GetAsync("/api/v1/features/usage/statistics");

        AssertRefused(entry, entryBody, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, PUT, DELETE", string.Join(", ", entry.Content.Headers.Allow));
        AssertRefused(list, listBody, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, POST", string.Join(", ", list.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.NotFound, usage.StatusCode);
    }
}

/// <summary>The governance API over an embedded SQLite registry.</summary>
public sealed class SqliteCatalogApiTests(SqliteCatalogServer served) : CatalogApiContract(served), IClassFixture<SqliteCatalogServer>;

/// <summary>The governance API over a PostgreSQL registry.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogApiTests(PostgresCatalogServer served) : CatalogApiContract(served), IClassFixture<PostgresCatalogServer>;
