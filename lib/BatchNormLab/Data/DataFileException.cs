namespace BatchNormLab.Data;

/// <summary>
/// A data file is missing, truncated, corrupted or not in the expected format. The message names
/// the file, the problem and what to do about it.
/// </summary>
public sealed class DataFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public DataFileException(string filePath, string message, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }
}
