using System.Security.Cryptography;

namespace BatchNormLab.Data;

/// <summary>What a shipped data file must be: its name in <c>data/</c>, its size and its SHA-256.</summary>
/// <param name="FileName">File name inside the data directory.</param>
/// <param name="Bytes">Exact size in bytes.</param>
/// <param name="Sha256">SHA-256 of the whole file, lowercase hex.</param>
public sealed record DataFileSpec(string FileName, long Bytes, string Sha256)
{
    /// <summary>
    /// What is wrong with <paramref name="content"/> as this file, as a phrase that completes "the file is ..."
    /// ("truncated: 10 bytes, expected 20"), or null when its size and SHA-256 match.
    /// </summary>
    public string? Mismatch(ReadOnlySpan<byte> content)
    {
        if (content.Length < Bytes) return $"truncated: {content.Length:N0} bytes, expected {Bytes:N0}";
        if (content.Length > Bytes) return $"too long: {content.Length:N0} bytes, expected {Bytes:N0}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        return hash == Sha256 ? null : $"corrupted: SHA-256 {hash}, expected {Sha256}";
    }
}
