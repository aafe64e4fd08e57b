using System.IO.Compression;
using System.Xml.Linq;

namespace Granary.Tests.Packaging;

/// <summary>A .nupkg or .snupkg opened as the zip it is: its entries and its nuspec's metadata.</summary>
internal sealed class PackageArchive : IDisposable
{
    private readonly ZipArchive zip;

    public PackageArchive(string path)
    {
        Assert.True(File.Exists(path), $"No package {path}; the folder holds: {string.Join(", ", Directory.EnumerateFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName))}");
        zip = ZipFile.OpenRead(path);
        Entries = [.. zip.Entries.Select(e => e.FullName)];
        var nuspec = zip.Entries.SingleOrDefault(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        if (nuspec is not null)
        {
            using var stream = nuspec.Open();
            Metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        }
    }

    /// <summary>Every entry's path inside the package.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The nuspec's &lt;metadata&gt; element (a .snupkg has one too).</summary>
    public XElement? Metadata { get; }

    /// <summary>The text of a metadata element (id, version, description, ...), or null when it is missing.</summary>
    public string? Get(string element) => Metadata?.Elements().SingleOrDefault(e => e.Name.LocalName == element)?.Value;

    /// <summary>The nuspec element itself, for its attributes.</summary>
    public XElement? Element(string element) => Metadata?.Elements().SingleOrDefault(e => e.Name.LocalName == element);

    /// <summary>The dependencies of every target framework group: (group, id, version range).</summary>
    public IReadOnlyList<(string Group, string Id, string Version)> Dependencies() =>
    [
        .. Metadata?.Descendants().Where(e => e.Name.LocalName == "dependency").Select(d => (
            d.Parent?.Attribute("targetFramework")?.Value ?? "",
            d.Attribute("id")?.Value ?? "",
            d.Attribute("version")?.Value ?? "")) ?? [],
    ];

    public string ReadText(string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"No entry {entry}."));
        return reader.ReadToEnd();
    }

    public void Dispose() => zip.Dispose();
}
