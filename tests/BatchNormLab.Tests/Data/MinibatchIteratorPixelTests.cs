using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Data;

/// <summary>Batches gathered from a data set's pixel bytes equal, bit for bit, those copied from its floats.</summary>
public class MinibatchIteratorPixelTests
{
    // 13: shorter than any vector (scalar only); 50 = 32 + 16 + 2 (every path once); 784: Fashion-MNIST's rows.
    [Theory]
    [InlineData(13, 1)]
    [InlineData(13, 7)]
    [InlineData(50, 9)]
    [InlineData(50, 16)]
    [InlineData(784, 5)]
    [InlineData(784, 60)]
    public void Batches_from_bytes_are_bit_identical_to_batches_from_floats(int features, int batchSize)
    {
        var (pixels, labels) = PixelData.Random(rows: 131, features, classes: 3, seed: features + batchSize);
        var bytes = new MinibatchIterator(PixelData.WithPixels(pixels, features, labels, 3), batchSize, BatchOrder.Shuffled, seed: 11);
        var floats = new MinibatchIterator(PixelData.FloatsOnly(pixels, features, labels, 3), batchSize, BatchOrder.Shuffled, seed: 11);
        for (var i = 0; i < 3 * bytes.BatchesPerEpoch + 1; i++)
        {
            var a = bytes.Next();
            var b = floats.Next();
            Assert.Equal(b.Epoch, a.Epoch);
            Assert.Equal(b.Step, a.Step);
            Assert.Equal(b.Indices, a.Indices);
            Assert.Equal(b.Labels, a.Labels);
            Assert.Equal(Bits(b.Images.Data), Bits(a.Images.Data));
        }
        Assert.Equal(3, bytes.Epoch);
    }

    [Fact]
    public void The_byte_form_is_what_the_batches_are_read_from()
    {
        // Floats deliberately out of step with the bytes (the invariant broken on purpose): the batch shows which was read.
        var (pixels, labels) = PixelData.Random(rows: 20, features: 13, classes: 2, seed: 4);
        var data = new Dataset("out of step", new Matrix<float>(20, 13), pixels, labels, ["a", "b"]);
        var batch = new MinibatchIterator(data, 4, BatchOrder.Shuffled, seed: 2).Next();
        for (var r = 0; r < batch.Size; r++)
            for (var j = 0; j < 13; j++)
                Assert.Equal(pixels[batch.Indices[r] * 13 + j] / 255f, batch.Images[r, j]);
    }

    [Fact]
    public void Next_from_bytes_allocates_nothing()
    {
        var (pixels, labels) = PixelData.Random(rows: 100, features: 50, classes: 3, seed: 8);
        var it = new MinibatchIterator(PixelData.WithPixels(pixels, 50, labels, 3), 10, BatchOrder.Shuffled, seed: 3);
        for (var i = 0; i < 50; i++) it.Next(); // warm up (JIT, several epochs)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) it.Next();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
