using System.Text;
using Granary.Contracts.Errors;
using Granary.Contracts.Http;

namespace Granary.Tests.Contracts.Http;

/// <summary>
/// Each request reader accepts exactly what its body's definition (the one the OpenAPI document is made from) says:
/// every field is read under its defined name (a value of the wrong shape there is refused naming the field), every
/// required field is required, and every optional one may be left out.
/// </summary>
public sealed class RequestReaderSchemaTests
{
    public static TheoryData<string> Bodies => [.. Readers.Keys];

    private static readonly Dictionary<string, (JsonBodySchema Schema, Action<byte[]> Parse)> Readers = new()
    {
        ["online"] = (OnlineFeaturesRequestJson.Schema, body => OnlineFeaturesRequestJson.Parse(body)),
        ["push"] = (PushRequestJson.Schema, body => PushRequestJson.Parse(body)),
        ["write-to-online-store"] = (WriteToOnlineStoreRequestJson.Schema, body => WriteToOnlineStoreRequestJson.Parse(body)),
        ["augment-batch"] = (Granary.Contracts.Http.Augment.AugmentRequestJson.BatchSchema, body => Granary.Contracts.Http.Augment.AugmentRequestJson.ParseBatch(body)),
        ["augment-online"] = (Granary.Contracts.Http.Augment.AugmentRequestJson.OnlineSchema, body => Granary.Contracts.Http.Augment.AugmentRequestJson.ParseOnline(body)),
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_body_with_every_field_is_read(string body)
    {
        var (schema, parse) = Readers[body];

        parse(Body(schema.Fields, wrong: null));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Every_field_is_read_under_its_defined_name(string body)
    {
        var (schema, parse) = Readers[body];
        Assert.All(schema.Fields, field =>
        {
            var error = Assert.Throws<JsonBodyException>(() => parse(Body(schema.Fields, wrong: field)));

            Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
            Assert.StartsWith($"{field.Name}:", error.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Exactly_the_required_fields_are_required(string body)
    {
        var (schema, parse) = Readers[body];
        Assert.All(schema.Fields, field =>
        {
            var others = schema.Fields.Where(f => f != field).ToList();
            if (field.Required)
            {
                var error = Assert.Throws<JsonBodyException>(() => parse(Body(others, wrong: null)));
                Assert.StartsWith($"{field.Name}: missing", error.Message, StringComparison.Ordinal);
            }
            else
            {
                parse(Body(others, wrong: null));
            }
        });
    }

    [Fact]
    public void The_materialize_bodies_are_read_under_their_defined_names()
    {
        var fields = MaterializeRequestJson.MaterializeSchema.Fields.Union(MaterializeRequestJson.IncrementalSchema.Fields).ToList();
        var body = MaterializeRequestJson.Parse(Encoding.UTF8.GetBytes(
            "{" + string.Join(", ", fields.Select(f => $"\"{f.Name}\": {(f.Kind == JsonFieldKind.StringList ? "[\"v\"]" : "\"2026-11-01\"")}")) + "}"));

        Assert.Equal(["start_ts", "end_ts", "feature_views"], fields.Select(f => f.Name));
        Assert.Equal(("2026-11-01", "2026-11-01", "v"), (body.StartTs, body.EndTs, Assert.Single(body.FeatureViews!)));
    }

    // A body of the given fields, each with a value of its kind, except `wrong`, which gets a value of no kind it takes.
    private static byte[] Body(IEnumerable<JsonField> fields, JsonField? wrong)
    {
        var properties = fields.Select(f => $"\"{f.Name}\": {(f == wrong ? Wrong(f) : Valid(f))}");
        return Encoding.UTF8.GetBytes("{" + string.Join(", ", properties) + "}");
    }

    private static string Valid(JsonField field) => field.Kind switch
    {
        JsonFieldKind.String => "\"name\"",
        JsonFieldKind.Enum => $"\"{field.AllowedValues[^1]}\"",
        JsonFieldKind.Boolean => "true",
        JsonFieldKind.StringList => "[\"v:f\"]",
        JsonFieldKind.Columns => "{\"c\": [1, \"a\", null]}",
        JsonFieldKind.AnyObject => "{\"user_id\": \"1\"}",
        JsonFieldKind.AnyObjectList => "[{\"user_id\": 1}]",
        JsonFieldKind.ObjectList => "[{" + string.Join(", ", field.Body!.Fields.Select(f => $"\"{f.Name}\": {Valid(f)}")) + "}]",
        _ => throw new InvalidOperationException($"No request field is a {field.Kind}; add a value for it here."),
    };

    private static string Wrong(JsonField field) => field.Kind switch
    {
        JsonFieldKind.Enum => "\"not-one-of-them\"",
        JsonFieldKind.Columns or JsonFieldKind.AnyObject or JsonFieldKind.AnyObjectList or JsonFieldKind.ObjectList => "5",
        _ => "{\"an\": \"object\"}",
    };
}
