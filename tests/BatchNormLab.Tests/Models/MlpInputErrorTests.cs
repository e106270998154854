using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Models;

/// <summary>A whole network reports bad input in terms a user can act on.</summary>
public class MlpInputErrorTests
{
    private static Sequential<float> Net() => Mlp<float>.Create(new MlpOptions { Sizes = [6, 5, 3] }.WithBatchNorm(), 1);

    [Fact]
    public void WrongInputWidthNamesTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Net().Forward(new Matrix<float>(4, 7)));
        Assert.Contains("network input", ex.Message);
        Assert.Contains("Nx6", ex.Message);
        Assert.Contains("4x7", ex.Message);
    }

    [Fact]
    public void NaNInputNamesItsPosition()
    {
        var x = TestData.Gaussian<float>(4, 6, new Random(1));
        x[3, 5] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Net().Forward(x));
        Assert.Contains("row 3, column 5", ex.Message);
    }

    [Fact]
    public void BatchOfOneInTrainingModeNamesTheBatchNormLayer()
    {
        var net = Net();
        net.Mode = Mode.Training;
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(TestData.Gaussian<float>(1, 6, new Random(2))));
        Assert.Contains("bn1", ex.Message);
        Assert.Contains("1x5", ex.Message);
        Assert.Contains("Mode.Inference", ex.Message);
        net.Mode = Mode.Inference;
        Assert.Equal(3, net.Forward(TestData.Gaussian<float>(1, 6, new Random(2))).Cols);
    }

    [Fact]
    public void BadSizesAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Mlp<float>.Create(new MlpOptions { Sizes = [6, 0, 3] }, 1));
        Assert.Contains("[6, 0, 3]", ex.Message);
    }
}
