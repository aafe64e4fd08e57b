namespace Granary.Core.Model;

/// <summary>File formats a <see cref="FileSource"/> can read, chosen by the file's extension.</summary>
public enum FileFormat
{
    Parquet,
    Csv,
}
