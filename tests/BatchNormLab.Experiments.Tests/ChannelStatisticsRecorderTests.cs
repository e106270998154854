using BatchNormLab.Convolution;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments.Tests;

public class ChannelStatisticsRecorderTests
{
    private static Matrix<float> Images(int n, ImageShape shape, int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix<float>(n, shape.Size);
        for (var i = 0; i < x.Data.Length; i++) x.Data[i] = (float)(0.5 + WeightInit.Gaussian(rng));
        return x;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecordsEachChannelsMeanAndSpreadOverImagesAndLocations(bool batchNorm)
    {
        var options = new CnnOptions { Input = new ImageShape(2, 8, 8), Channels = [3, 4], BatchNorm = batchNorm, Classes = 3 };
        var model = Cnn<float>.Create(options, 3);
        var x = Images(5, options.Input, 4);
        var recorder = new ChannelStatisticsRecorder(block: 2, every: 10);
        model.Mode = Mode.Training;
        model.Forward(x);
        var batch = new Batch(5, options.Input.Size); // the recorder reads the layers, not the batch
        recorder.AfterForward(10, model, batch, 0);
        recorder.AfterForward(11, model, batch, 0); // not a recorded step
        var s = recorder.Series;
        Assert.Equal([10], s.Steps);
        Assert.Equal(4, s.Channels);

        var conv = model.LayersOf<Conv2d<float>>()[1];
        var y = conv.LastOutput!;
        var shape = conv.OutputShape;
        for (var c = 0; c < shape.Channels; c++)
        {
            var values = Enumerable.Range(0, y.Rows).SelectMany(n => Enumerable.Range(0, shape.Locations).Select(p => (double)y[n, c * shape.Locations + p])).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            Assert.Equal(mean, s.ConvMean[0][c], 4);
            Assert.Equal(std, s.ConvStd[0][c], 4);
            if (!batchNorm)
            {
                Assert.Equal(s.ConvMean[0][c], s.ReluMean[0][c]); // without BN the ReLU's input is the conv's output
            }
            else
            {
                // Training mode: BN's output per channel has mean β = 0 and spread γ = 1 (up to ε).
                Assert.Equal(0, s.ReluMean[0][c], 4);
                Assert.Equal(1, s.ReluStd[0][c], 2);
            }
        }
    }

    [Fact]
    public void ABlockTheModelDoesNotHaveIsAClearError()
    {
        var options = new CnnOptions { Input = new ImageShape(1, 8, 8), Channels = [2], Classes = 2 };
        var model = Cnn<float>.Create(options, 1);
        var x = Images(2, options.Input, 1);
        model.Forward(x);
        var e = Assert.Throws<InvalidOperationException>(() => new ChannelStatisticsRecorder(3, 1).AfterForward(0, model, new Batch(2, options.Input.Size), 0));
        Assert.Contains("conv3", e.Message);
    }
}
