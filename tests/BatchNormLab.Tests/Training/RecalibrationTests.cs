using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

public class RecalibrationTests
{
    /// <summary>A small BN CNN (1x8x8 → 3 → 4 channels) on images with non-zero mean, trained a few steps so nothing is at its initial value.</summary>
    private static (Sequential<float> Model, Dataset Data) SmallCnn()
    {
        var rng = new Random(5);
        var images = new Matrix<float>(90, 64);
        var labels = new int[90];
        for (var i = 0; i < images.Rows; i++)
        {
            labels[i] = i % 3;
            for (var k = 0; k < 64; k++) images[i, k] = (float)(0.3 * labels[i] + 0.2 * (k % 8) / 8 + 0.5 * rng.NextDouble());
        }
        var data = new Dataset("small images", images, labels, ["a", "b", "c"]);
        var model = Cnn<float>.Create(new CnnOptions { Input = new ImageShape(1, 8, 8), Channels = [3, 4], Classes = 3 }.WithBatchNorm(), seed: 2);
        Trainer.Train(model, new MinibatchIterator(data, 10, seed: 1), null, new TrainingOptions { Steps = 15, LearningRate = 0.1 });
        return (model, data);
    }

    /// <summary>Per channel, the mean and unbiased variance of all N·H·W values, in double.</summary>
    private static (double[] Mean, double[] Variance) ChannelStatistics(Matrix<float> x, ImageShape shape)
    {
        var (mean, variance) = (new double[shape.Channels], new double[shape.Channels]);
        for (var c = 0; c < shape.Channels; c++)
        {
            var v = Enumerable.Range(0, x.Rows).SelectMany(n => Enumerable.Range(0, shape.Locations).Select(p => (double)x[n, c * shape.Locations + p])).ToArray();
            mean[c] = v.Average();
            variance[c] = v.Sum(a => (a - mean[c]) * (a - mean[c])) / (v.Length - 1);
        }
        return (mean, variance);
    }

    [Fact]
    public void SpatialBatchNormGetsThePopulationStatisticsOfEachChannelOverAllLocations()
    {
        var (model, data) = SmallCnn();
        var bns = model.LayersOf<BatchNorm2d<float>>();
        Assert.Equal(2, Recalibration.Recompute(model, data));
        Assert.Equal(Mode.Inference, model.Mode);
        // Each BN layer's input, with every earlier layer (BN included, already recalibrated) in inference mode.
        foreach (var bn in bns)
        {
            var h = data.Images;
            foreach (var layer in model.Layers.TakeWhile(l => !ReferenceEquals(l, bn))) h = layer.Forward(h);
            var (mean, variance) = ChannelStatistics(h, bn.Shape);
            for (var c = 0; c < bn.Shape.Channels; c++)
            {
                Assert.Equal(mean[c], bn.PerChannel.RunningMean[c], 1e-5 * (1 + Math.Abs(mean[c])));
                Assert.Equal(variance[c], bn.PerChannel.RunningVariance[c], 1e-5 * (1 + variance[c]));
            }
            // The same as the layer's own training-mode statistics over the whole set as one batch of m' = N·H·W.
            // (That pass moves the running estimates; they are put back for the next layer.)
            var recalibrated = bn.PerChannel.Snapshot();
            var (runningMean, runningVariance) = (bn.PerChannel.RunningMean.ToArray(), bn.PerChannel.RunningVariance.ToArray());
            bn.Mode = Mode.Training;
            bn.Forward(h);
            bn.Mode = Mode.Inference;
            bn.PerChannel.Restore(recalibrated);
            var m = (double)data.Count * bn.Shape.Locations;
            for (var c = 0; c < bn.Shape.Channels; c++)
            {
                Assert.Equal(bn.PerChannel.BatchMean[c], runningMean[c], 1e-5 * (1 + Math.Abs(mean[c])));
                Assert.Equal(bn.PerChannel.BatchVariance[c] * m / (m - 1), runningVariance[c], 1e-5 * (1 + variance[c]));
            }
        }
    }

    [Fact]
    public void RecalibrationUsesOnlyTheFirstCountExamples()
    {
        var (model, data) = SmallCnn();
        Recalibration.Recompute(model, data, count: 40, batchSize: 7);
        var bn1 = model.LayersOf<BatchNorm2d<float>>()[0];
        var (mean, variance) = ChannelStatistics(model.Layers[0].Forward(data.Images.SliceRows(0, 40)), bn1.Shape);
        for (var c = 0; c < bn1.Shape.Channels; c++)
        {
            Assert.Equal(mean[c], bn1.PerChannel.RunningMean[c], 1e-5 * (1 + Math.Abs(mean[c])));
            Assert.Equal(variance[c], bn1.PerChannel.RunningVariance[c], 1e-5 * (1 + variance[c]));
        }
    }
}
