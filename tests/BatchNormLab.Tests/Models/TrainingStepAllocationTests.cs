using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Models;

public class TrainingStepAllocationTests
{
    [Theory]
    [InlineData(NormalizationKind.None)]
    [InlineData(NormalizationKind.BatchNorm)]
    public void An_mlp_training_step_allocates_nothing_once_buffers_exist(NormalizationKind kind) =>
        AssertStepAllocatesNothing(Mlp<float>.Create(new MlpOptions { Sizes = [64, 16, 16, 4], Normalization = kind }, seed: 5));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_cnn_training_step_allocates_nothing_once_buffers_exist(bool batchNorm) =>
        AssertStepAllocatesNothing(Cnn<float>.Create(new CnnOptions { Input = new ImageShape(1, 8, 8), Channels = [2, 4], Classes = 4, BatchNorm = batchNorm }, seed: 5));

    [Fact]
    public void A_training_step_on_pixel_bytes_allocates_nothing_once_buffers_exist()
    {
        // A data set with a byte form, as Fashion-MNIST's: the iterator converts rows instead of copying floats.
        var rng = new Random(3);
        var pixels = new byte[160 * 64];
        rng.NextBytes(pixels);
        var images = new Matrix<float>(160, 64);
        for (var i = 0; i < pixels.Length; i++) images.Data[i] = pixels[i] / 255f;
        var data = new Dataset("pixels", images, pixels, TestData.Labels(160, 4, rng), ["a", "b", "c", "d"]);
        AssertStepAllocatesNothing(Mlp<float>.Create(new MlpOptions { Sizes = [64, 16, 16, 4], Normalization = NormalizationKind.BatchNorm }, seed: 5), data);
    }

    private static void AssertStepAllocatesNothing(Sequential<float> model, Dataset? pixelData = null)
    {
        var data = pixelData ?? SyntheticData.GaussianBlobs(classes: 4, dimensions: 64, perClass: 40, seed: 3);
        var batches = new MinibatchIterator(data, batchSize: 20, BatchOrder.Shuffled, seed: 7);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(0.1);
        void Step()
        {
            var batch = batches.Next();
            loss.Forward(model.Forward(batch.Images), batch.Labels);
            model.Backward(loss.Backward());
            sgd.Step(model.Parameters);
        }
        // Buffers are created on the first steps; the JIT's tiering (call counting, then an optimised
        // version compiled in the background) runs over the first hundreds of calls: let both settle.
        for (var i = 0; i < 300; i++) Step();
        Thread.Sleep(500);
        for (var i = 0; i < 50; i++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
