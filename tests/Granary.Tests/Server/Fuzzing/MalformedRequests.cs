using System.Globalization;
using System.Text;
using static Granary.Tests.Server.Fuzzing.FuzzJson;

namespace Granary.Tests.Server.Fuzzing;

/// <summary>One request the fuzzer sends: its bytes, what it is (for failure messages), and the entity ids it writes if accepted.</summary>
/// <remarks>
/// <paramref name="AnsweredBeforeTheApp"/>: requests whose request line or headers Kestrel itself refuses (a NUL in the path, two Content-Lengths), which
/// it answers with an empty 400 before any of Granary's code runs.
/// <paramref name="ClientLeaves"/>: the client closes its side part way through the body, as a client that goes away
/// does; the server may answer or simply close, but must never fail or write.
/// </remarks>
/// <paramref name="ExpectContinue"/>: the head carries <c>Expect: 100-continue</c>; the body follows only if the server asks for it.
public sealed record FuzzCase(string Description, byte[] Request, long[] WrittenIds, bool FreshConnection = false, bool ClientLeaves = false, bool AnsweredBeforeTheApp = false, bool ExpectContinue = false);

/// <summary>
/// Malformed and borderline requests for every endpoint of <see cref="ServedRepository"/>, from a seed: valid bodies
/// with one part broken (a value of the wrong type, a number no type holds, a lone surrogate, bytes that are not
/// UTF-8, a duplicated or missing key, unequal columns, deep nesting), bodies cut or flipped at the byte level, and
/// requests broken at the HTTP level (content types, methods, unknown paths, oversized bodies, malformed chunked
/// framing, bodies that end short of their Content-Length). Entity ids of writes are fresh per request, so a refused
/// request's ids must never be found in the store.
/// </summary>
public sealed class MalformedRequests(int seed, long maxBody, long firstWrittenId)
{
    private readonly Random _random = new(seed);
    private long _nextId = firstWrittenId;

    private static readonly string[] EvilValues =
    [
        "null", "true", "false", "0", "-0", "1.5", "-1", "\"\"", "\"1,5\"", "\"true\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
        "1e400", "-1e400", "1e308", "5e-324", "99999999999999999999999", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809", "9007199254740993", "253402300800", "-62135596801", "1700000000000",
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\udbff\\udfff\"", "\"\\u0000\"", "\"9999-12-31T23:59:59Z\"", "\"10000-01-01T00:00:00Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"2026-13-45T25:61:61Z\"", "\"now\"", "\"user_stats:orders_7d\"", "\"live_stats:\"", "\":\"",
        "{}", "[]", "[null]", "[[1]]", "[{}]", "{\"a\": 1}", "[1, \"a\", null, true]", "NaN", "Infinity", "-", "01", "1.", ".5",
        "'single'", "undefined", "\"unterminated",
    ];

    public FuzzCase Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 55 => BrokenValue(),
            < 62 => BrokenStructure(),
            < 75 => BrokenBytes(),
            < 92 => BrokenHttp(),
            _ => Valid(),
        };
    }

    private (string Path, FuzzJson Body, long[] Ids) Template()
    {
        // Materializations are few: each one runs the offline engine, which would set the pace of the whole run.
        switch (_random.Next(22) switch { < 5 => 0, < 8 => 1, < 13 => 2, < 18 => 3, 18 => 4, 19 => 5, 20 => 6, _ => 7 })
        {
            case 0:
                return ("/get-online-features", Obj(
                    ("features", Arr(Str("user_stats:orders_7d"), Str("user_stats:spend_7d"), Str("live_stats:orders_7d"))),
                    ("entities", Obj(("user_id", Arr(Num(1), Num(2), Num(_nextId))))),
                    ("full_feature_names", Raw("false"))), []);
            case 1:
                return ("/get-online-features", Obj(
                    ("feature_service", Str("live_model")),
                    ("entities", Obj(("user_id", Arr(Num(1), Num(_nextId))))),
                    ("full_feature_names", Raw("true"))), []);
            case 2:
            {
                var (df, ids) = Rows();
                return ("/push", Obj(("push_source_name", Str("user_stats_push")), ("df", df), ("to", Str("online"))), ids);
            }

            case 3:
            {
                var (df, ids) = Rows();
                return ("/write-to-online-store", Obj(("feature_view_name", Str("live_stats")), ("df", df)), ids);
            }

            case 4:
                return ("/materialize", Obj(
                    ("start_ts", Str("2026-10-01T00:00:00Z")), ("end_ts", Str("2026-11-04T00:00:00Z")), ("feature_views", Arr(Str("user_stats")))), []);
            case 5:
                return ("/materialize-incremental", Obj(("end_ts", Str("2026-11-04T00:00:00Z")), ("feature_views", Arr(Str("user_stats")))), []);
            case 6:
                return ("/api/v1/augment/batch", Obj(
                    ("entity_spine", Arr(Obj(("user_id", Num(1))), Obj(("user_id", Str("2")), ("label", Num(1))), Obj(("user_id", Num(_nextId))))),
                    ("feature_specs", Arr(Obj(("namespace", Str("live_stats")), ("features", Arr(Str("orders_7d"), Str("spend_7d"))))))), []);
            default:
                return ("/api/v1/augment/online", Obj(
                    ("entity_keys", Obj(("user_id", Num(1)))),
                    ("feature_specs", Arr(Obj(("namespace", Str("user_stats")), ("features", Arr(Str("orders_7d"))))))), []);
        }
    }

    /// <summary>Three rows for fresh entity ids, column-major as Feast's clients send them.</summary>
    private (FuzzJson Df, long[] Ids) Rows()
    {
        long[] ids = [_nextId, _nextId + 1, _nextId + 2];
        _nextId += 3;
        var df = Obj(
            ("user_id", Arr([.. ids.Select(Num)])),
            ("event_timestamp", Arr(Str("2026-11-05T00:00:00Z"), Str("2026-11-05T00:00:00+00:00"), Str("2026-11-05T01:00:00Z"))),
            ("orders_7d", Arr(Num(1), Num(2), Num(3))),
            ("spend_7d", Arr(Raw("1.5"), Raw("2.0"), Raw("3"))));
        return (df, ids);
    }

    private FuzzCase Valid()
    {
        var (path, body, ids) = Template();
        return Post("valid", path, body.ToBytes(), ids);
    }

    private FuzzCase BrokenValue()
    {
        var (path, body, ids) = Template();
        var nodes = body.Nodes().Skip(1).ToList();
        var target = nodes[_random.Next(nodes.Count)];
        var (evil, what) = EvilLeaf();
        var broken = body.Replace(target, _ => evil);
        return Post(what, path, broken.ToBytes(), ids);
    }

    private (FuzzJson Leaf, string What) EvilLeaf()
    {
        switch (_random.Next(20))
        {
            case 0: return (new Leaf([(byte)'"', 0xC3, 0x28, (byte)'"']), "a broken two-byte UTF-8 sequence");
            case 1: return (new Leaf([(byte)'"', 0xED, 0xA0, 0x80, (byte)'"']), "a surrogate encoded as UTF-8");
            case 2: return (new Leaf([(byte)'"', (byte)'a', 0xFF, (byte)'"']), "the byte FF in a string");
            case 3: return (Raw(new string('[', 2_000) + new string(']', 2_000)), "lists nested 2,000 deep");
            case 4: return (Str(new string('x', _random.Next(1_000, 20_000))), "a long string");
            default:
                var evil = Pick(EvilValues);
                return (Raw(evil), $"value {evil}");
        }
    }

    private FuzzCase BrokenStructure()
    {
        var (path, body, ids) = Template();
        var objects = body.Nodes().OfType<FuzzJson.Object>().ToList();
        var arrays = body.Nodes().OfType<FuzzJson.Array>().ToList();
        string what;
        FuzzJson broken;
        switch (_random.Next(5))
        {
            case 0 when objects.Count > 0:
            {
                var target = objects[_random.Next(objects.Count)];
                var member = target.Members[_random.Next(target.Members.Count)];
                what = $"duplicate key {member.Key}";
                broken = body.Replace(target, _ => new FuzzJson.Object([.. target.Members, (member.Key, Raw(Pick(EvilValues)))]));
                break;
            }

            case 1 when objects.Count > 0:
            {
                var target = objects[_random.Next(objects.Count)];
                var drop = _random.Next(target.Members.Count);
                what = $"missing key {target.Members[drop].Key}";
                broken = body.Replace(target, _ => new FuzzJson.Object([.. target.Members.Where((_, i) => i != drop)]));
                break;
            }

            case 2 when arrays.Count > 0:
            {
                var target = arrays[_random.Next(arrays.Count)];
                what = "a list one longer";
                broken = body.Replace(target, _ => new FuzzJson.Array([.. target.Items, target.Items.Count > 0 ? target.Items[0] : Num(1)]));
                break;
            }

            case 3 when arrays.Count > 0:
            {
                var target = arrays[_random.Next(arrays.Count)];
                what = "an empty list";
                broken = body.Replace(target, _ => Arr());
                break;
            }

            default:
            {
                what = "an unknown key";
                broken = body is FuzzJson.Object root ? new FuzzJson.Object([.. root.Members, ("unexpected\\u0000", Raw(Pick(EvilValues)))]) : body;
                break;
            }
        }

        return Post(what, path, broken.ToBytes(), ids);
    }

    private FuzzCase BrokenBytes()
    {
        var (path, body, ids) = Template();
        var bytes = body.ToBytes();
        switch (_random.Next(4))
        {
            case 0:
                return Post("truncated", path, bytes[.._random.Next(bytes.Length)], ids);
            case 1:
            {
                var at = _random.Next(bytes.Length);
                bytes[at] = (byte)_random.Next(256);
                return Post($"byte {at} flipped", path, bytes, ids);
            }

            case 2:
            {
                byte[][] inserts = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [(byte)'"'], [(byte)'{']];
                var insert = inserts[_random.Next(inserts.Length)];
                var at = _random.Next(bytes.Length);
                return Post($"bytes inserted at {at}", path, [.. bytes[..at], .. insert, .. bytes[at..]], ids);
            }

            default:
                return Post("trailing bytes", path, [.. bytes, .. "{}"u8], ids);
        }
    }

    private FuzzCase BrokenHttp()
    {
        var (path, body, ids) = Template();
        var bytes = body.ToBytes();
        switch (_random.Next(15))
        {
            case 0:
                return Case($"{path}: no Content-Type", Head("POST", path, null, bytes.Length) + "\r\n", bytes, ids);
            case 1:
                return Case($"{path}: form Content-Type", Head("POST", path, "application/x-www-form-urlencoded", bytes.Length) + "\r\n", bytes, ids);
            case 2:
                return Case($"{path}: text/plain", Head("POST", path, "text/plain", bytes.Length) + "\r\n", bytes, ids);
            case 3:
                return Case($"{path}: json with charset", Head("POST", path, "application/json; charset=utf-8", bytes.Length) + "\r\n", bytes, ids);
            case 4:
                return Case($"{path}: wrong method", Head(path is "/health" ? "POST" : "GET", path, "application/json", path is "/health" ? bytes.Length : 0) + "\r\n", path is "/health" ? bytes : [], []);
            case 5:
            {
                string[] odd = ["/nope", "/feature-views/%FF", "/feature-views/..%2F..%2Fetc", "/entities/" + new string('e', 4_000), "/get-online-features/extra", "//push", "/data-sources/%C3%28"];
                var oddPath = Pick(odd);
                return Case($"GET {oddPath[..Math.Min(oddPath.Length, 60)]}", Head("GET", oddPath, null, 0) + "\r\n", [], []);
            }

            case 14:
            {
                // Kestrel refuses a NUL in the decoded path while it parses the request line.
                return new FuzzCase("GET /feature-views/%00", Encoding.ASCII.GetBytes(Head("GET", "/feature-views/%00", null, 0) + "\r\n"), [], FreshConnection: true, AnsweredBeforeTheApp: true);
            }

            case 6:
            {
                var size = (int)maxBody + 1 + _random.Next(100_000);
                var large = new byte[size];
                large.AsSpan().Fill((byte)' ');
                bytes.CopyTo(large, 0);
                return new FuzzCase($"{path}: oversized body", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", size) + "Expect: 100-continue\r\n\r\n"), .. large], ids, FreshConnection: true, ExpectContinue: true);
            }

            case 7:
                return new FuzzCase($"{path}: oversized Content-Length, short body", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", maxBody * 4) + "Expect: 100-continue\r\n\r\n"), .. bytes], ids, FreshConnection: true, ExpectContinue: true);
            case 8:
                return new FuzzCase($"{path}: valid chunked", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", -1) + "Transfer-Encoding: chunked\r\n\r\n"), .. Chunked(bytes)], ids, FreshConnection: true);
            case 9:
            {
                string[] sizes = ["zz", "-1", "FFFFFFFFFFFFFFFFFF", "1;" + new string('x', 10_000), ""];
                var framing = $"{Pick(sizes)}\r\n{Encoding.UTF8.GetString(bytes)}\r\n0\r\n\r\n";
                return new FuzzCase($"{path}: malformed chunk size", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", -1) + "Transfer-Encoding: chunked\r\n\r\n"), .. Encoding.UTF8.GetBytes(framing)], ids, FreshConnection: true);
            }

            case 10:
            {
                var cut = bytes[..Math.Max(1, bytes.Length / 2)];
                var framing = $"{bytes.Length:X}\r\n";
                return new FuzzCase($"{path}: client leaves in the middle of a chunk", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", -1) + "Transfer-Encoding: chunked\r\n\r\n" + framing), .. cut], ids, FreshConnection: true, ClientLeaves: true);
            }

            case 11:
            {
                var cut = bytes[..Math.Max(1, bytes.Length / 2)];
                return new FuzzCase($"{path}: client leaves short of the Content-Length", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", bytes.Length) + "\r\n"), .. cut], ids, FreshConnection: true, ClientLeaves: true);
            }

            case 12:
                return new FuzzCase($"{path}: two Content-Lengths", [.. Encoding.ASCII.GetBytes(Head("POST", path, "application/json", bytes.Length) + $"Content-Length: {bytes.Length + 1}\r\n\r\n"), .. bytes], ids, FreshConnection: true, AnsweredBeforeTheApp: true);
            default:
                return Case($"{path}: empty body", Head("POST", path, "application/json", 0) + "\r\n", [], []);
        }
    }

    private static byte[] Chunked(byte[] body)
    {
        var middle = body.Length / 2;
        return
        [
            .. Encoding.ASCII.GetBytes($"{middle:X}\r\n"), .. body[..middle], .. "\r\n"u8,
            .. Encoding.ASCII.GetBytes($"{body.Length - middle:X}\r\n"), .. body[middle..], .. "\r\n0\r\n\r\n"u8,
        ];
    }

    private static string Head(string method, string path, string? contentType, long length)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: fuzz\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (length >= 0)
        {
            head.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return head.ToString();
    }

    private static FuzzCase Post(string what, string path, byte[] body, long[] ids) =>
        Case($"{path}: {what}", Head("POST", path, "application/json", body.Length) + "\r\n", body, ids);

    private static FuzzCase Case(string what, string head, byte[] body, long[] ids) =>
        new(what, [.. Encoding.ASCII.GetBytes(head), .. body], ids);

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
