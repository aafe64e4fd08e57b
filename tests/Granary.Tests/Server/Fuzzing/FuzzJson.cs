using System.Text;

namespace Granary.Tests.Server.Fuzzing;

/// <summary>
/// A JSON tree the fuzzer can break anywhere: leaves are raw bytes, so a leaf can be a lone surrogate escape, bytes
/// that are not UTF-8, a number no parser can hold, or not JSON at all. Objects keep their order and may repeat a key.
/// </summary>
public abstract record FuzzJson
{
    public static FuzzJson Raw(string json) => new Leaf(Encoding.UTF8.GetBytes(json));

    public static FuzzJson Str(string text) => Raw("\"" + text + "\"");

    public static FuzzJson Num(long value) => Raw(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static FuzzJson Obj(params (string Key, FuzzJson Value)[] members) => new Object([.. members]);

    public static FuzzJson Arr(params FuzzJson[] items) => new Array([.. items]);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Write(stream);
        return stream.ToArray();
    }

    public abstract void Write(Stream into);

    /// <summary>Every node with the path that leads to it (the root first).</summary>
    public IEnumerable<FuzzJson> Nodes()
    {
        yield return this;
        var children = this switch
        {
            Object o => o.Members.Select(m => m.Value),
            Array a => a.Items,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var node in child.Nodes())
            {
                yield return node;
            }
        }
    }

    /// <summary>This tree with <paramref name="target"/> (found by reference) replaced by what <paramref name="replace"/> makes of it.</summary>
    public FuzzJson Replace(FuzzJson target, Func<FuzzJson, FuzzJson> replace)
    {
        if (ReferenceEquals(this, target))
        {
            return replace(this);
        }

        return this switch
        {
            Object o => new Object([.. o.Members.Select(m => (m.Key, m.Value.Replace(target, replace)))]),
            Array a => new Array([.. a.Items.Select(i => i.Replace(target, replace))]),
            _ => this,
        };
    }

    public sealed record Leaf(byte[] Bytes) : FuzzJson
    {
        public override void Write(Stream into) => into.Write(Bytes);
    }

    public sealed record Object(List<(string Key, FuzzJson Value)> Members) : FuzzJson
    {
        public override void Write(Stream into)
        {
            into.WriteByte((byte)'{');
            for (var i = 0; i < Members.Count; i++)
            {
                if (i > 0)
                {
                    into.WriteByte((byte)',');
                }

                into.Write(Encoding.UTF8.GetBytes("\"" + Members[i].Key + "\":"));
                Members[i].Value.Write(into);
            }

            into.WriteByte((byte)'}');
        }
    }

    public sealed record Array(List<FuzzJson> Items) : FuzzJson
    {
        public override void Write(Stream into)
        {
            into.WriteByte((byte)'[');
            for (var i = 0; i < Items.Count; i++)
            {
                if (i > 0)
                {
                    into.WriteByte((byte)',');
                }

                Items[i].Write(into);
            }

            into.WriteByte((byte)']');
        }
    }
}
