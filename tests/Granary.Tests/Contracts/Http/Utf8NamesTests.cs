using System.Text;
using System.Text.Json;
using Granary.Contracts.Http;

namespace Granary.Tests.Contracts.Http;

public sealed class Utf8NamesTests
{
    private static string Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return Utf8Names.Get(ref reader);
    }

    [Fact]
    public void The_same_name_twice_is_the_same_string()
    {
        // A name no other test uses: the table is process-wide, and servers of other tests parse their own names.
        var name = $"view_{Guid.NewGuid():N}:feature";
        var first = Read($"\"{name}\"");
        var second = Read($"\"{name}\"");

        Assert.Equal(name, first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Escaped_and_non_ascii_names_read_as_their_text()
    {
        Assert.Equal("stats:f0", Read("\"stats:f\\u0030\""));
        Assert.Equal("stats:größe", Read("\"stats:größe\""));
        Assert.Equal("stats:größe", Read("\"stats:gr\\u00f6\\u00dfe\""));
    }

    [Fact]
    public void Many_different_names_each_read_as_themselves()
    {
        // More names than slots: collisions replace entries, never return another name.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 10_000; i++)
            {
                Assert.Equal($"view:f{i}", Read($"\"view:f{i}\""));
            }
        }
    }

    [Fact]
    public void Long_names_are_read_without_being_kept()
    {
        var name = new string('x', 500);

        Assert.Equal(name, Read($"\"{name}\""));
    }
}
