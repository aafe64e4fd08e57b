namespace Granary.Core.Model;

/// <summary>A Parquet or CSV file (or glob of files), read in place by the offline engine.</summary>
public sealed record FileSource : BatchSource
{
    /// <summary>The path as written in the definitions, relative to the repository root unless absolute.</summary>
    public required string Path { get; init; }

    public required FileFormat Format { get; init; }

    public override string SourceType => "file";

    /// <summary>The format implied by a path's extension, or null when it has neither.</summary>
    public static FileFormat? FormatOf(string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".parquet" or ".pq" => FileFormat.Parquet,
            ".csv" => FileFormat.Csv,
            _ => null,
        };
    }
}
