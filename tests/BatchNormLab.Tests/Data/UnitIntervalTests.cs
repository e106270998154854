using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class UnitIntervalTests
{
    // Lengths around the vector widths (16 and 32 bytes) and offsets that misalign the spans.
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 3)]
    [InlineData(15, 0)]
    [InlineData(16, 1)]
    [InlineData(31, 5)]
    [InlineData(32, 0)]
    [InlineData(47, 7)]
    [InlineData(48, 2)]
    [InlineData(784, 0)]
    [InlineData(1_000, 9)]
    public void Every_byte_becomes_exactly_the_scalar_quotient(int length, int offset)
    {
        var src = new byte[offset + length];
        for (var i = 0; i < src.Length; i++) src[i] = (byte)(i * 37 + 11); // all 256 values once length ≥ 256
        var dst = new float[offset + length + 1];
        dst[^1] = -1f;
        UnitInterval.FromBytes(src.AsSpan(offset, length), dst.AsSpan(offset));
        for (var i = 0; i < length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(src[offset + i] / 255f), BitConverter.SingleToInt32Bits(dst[offset + i]));
        Assert.Equal(-1f, dst[^1]); // nothing written past the source's length
    }

    [Fact]
    public void A_destination_shorter_than_the_source_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => UnitInterval.FromBytes(new byte[8], new float[7]));
        Assert.Contains("7 floats for 8 bytes", e.Message);
    }
}
