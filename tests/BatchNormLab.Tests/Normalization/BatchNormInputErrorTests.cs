using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Normalization;

/// <summary>Bad input gets an exception whose message names the problem.</summary>
public class BatchNormInputErrorTests
{
    [Fact]
    public void WrongFeatureCountNamesLayerAndShapes()
    {
        var bn = new BatchNorm<float>("bn2", 100) { Mode = Mode.Training };
        var ex = Assert.Throws<ArgumentException>(() => bn.Forward(new Matrix<float>(60, 99)));
        Assert.Contains("Shape mismatch", ex.Message);
        Assert.Contains("bn2 input", ex.Message);
        Assert.Contains("Nx100", ex.Message);
        Assert.Contains("60x99", ex.Message);
    }

    [Fact]
    public void BatchOfOneInTrainingModeIsRefusedWithTheShapeAndTheWayOut()
    {
        var bn = new BatchNorm<float>("bn1", 4) { Mode = Mode.Training };
        var ex = Assert.Throws<ArgumentException>(() => bn.Forward(TestData.Gaussian<float>(1, 4, new Random(1))));
        Assert.Contains("bn1", ex.Message);
        Assert.Contains("1x4", ex.Message);
        Assert.Contains("more than 1 value per feature", ex.Message);
        Assert.Contains("Mode.Inference", ex.Message);
        Assert.Equal(0, bn.BatchesTracked); // nothing was folded into the running statistics
    }

    [Fact]
    public void BatchOfOneInInferenceModeIsFine()
    {
        var bn = new BatchNorm<double>("bn1", 3) { Mode = Mode.Inference };
        bn.RunningMean[1] = 2;
        bn.RunningVariance[1] = 4;
        var y = bn.Forward(Matrix<double>.FromRows([1.0, 4.0, -1.0]));
        Assert.Equal(1 / Math.Sqrt(1 + 1e-5), y[0, 0], 14);
        Assert.Equal(2 / Math.Sqrt(4 + 1e-5), y[0, 1], 14);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputNamesItsPosition(float bad)
    {
        var bn = new BatchNorm<float>("bn3", 5) { Mode = Mode.Training };
        var x = TestData.Gaussian<float>(8, 5, new Random(2));
        x[6, 3] = bad;
        var ex = Assert.Throws<ArgumentException>(() => bn.Forward(x));
        Assert.Contains("bn3 input", ex.Message);
        Assert.Contains("row 6, column 3", ex.Message);
        Assert.Contains(bad.ToString(), ex.Message);
        Assert.Contains("finite", ex.Message);
    }

    [Fact]
    public void BackwardBeforeForwardIsRefused()
    {
        var bn = new BatchNorm<float>("bn1", 4);
        var ex = Assert.Throws<InvalidOperationException>(() => bn.Backward(new Matrix<float>(2, 4)));
        Assert.Contains("bn1", ex.Message);
        Assert.Contains("Backward called before Forward", ex.Message);
    }

    [Fact]
    public void WrongOutputGradientShapeNamesShapes()
    {
        var bn = new BatchNorm<float>("bn1", 4) { Mode = Mode.Training };
        bn.Forward(TestData.Gaussian<float>(3, 4, new Random(4)));
        var ex = Assert.Throws<ArgumentException>(() => bn.Backward(new Matrix<float>(2, 4)));
        Assert.Contains("bn1 output gradient", ex.Message);
        Assert.Contains("3x4", ex.Message);
        Assert.Contains("2x4", ex.Message);
    }
}
