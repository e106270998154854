namespace BatchNormLab.Data;

/// <summary>What a shipped data file must be: its name in <c>data/</c>, its size and its SHA-256.</summary>
/// <param name="FileName">File name inside the data directory.</param>
/// <param name="Bytes">Exact size in bytes.</param>
/// <param name="Sha256">SHA-256 of the whole file, lowercase hex.</param>
public sealed record DataFileSpec(string FileName, long Bytes, string Sha256);
