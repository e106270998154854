using System.Security.Cryptography;
using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class DataFileSpecTests
{
    private static readonly byte[] Content = [1, 2, 3, 4, 5];
    private static readonly DataFileSpec Spec = new("x", Content.Length, Convert.ToHexStringLower(SHA256.HashData(Content)));

    [Fact]
    public void The_right_content_has_no_mismatch() => Assert.Null(Spec.Mismatch(Content));

    [Fact]
    public void Short_long_and_changed_content_each_say_what_is_wrong()
    {
        Assert.StartsWith("truncated: 4 bytes, expected 5", Spec.Mismatch(Content.AsSpan(0, 4)));
        Assert.StartsWith("too long: 6 bytes, expected 5", Spec.Mismatch([.. Content, 6]));
        var changed = (byte[])Content.Clone();
        changed[2] ^= 1;
        var problem = Spec.Mismatch(changed);
        Assert.StartsWith("corrupted: SHA-256 ", problem);
        Assert.Contains(Spec.Sha256, problem);
    }
}
