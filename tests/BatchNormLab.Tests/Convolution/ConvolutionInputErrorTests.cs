using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>Bad shapes and misuse get an error that names the layer, the shape and the fix.</summary>
public class ConvolutionInputErrorTests
{
    private static readonly ImageShape Input = new(2, 5, 5);

    [Fact]
    public void WrongInputWidthNamesTheLayerAndBothShapes()
    {
        var conv = Conv2d<float>.Create("conv1", Input, 4, new Window(3, 1, 1), false, BatchNormLab.Models.WeightInitScheme.He, 1, new Random(1));
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(new Matrix<float>(3, 49)));
        Assert.Contains("conv1 input", e.Message);
        Assert.Contains("Nx50", e.Message);
        Assert.Contains("3x49", e.Message);
        var pool = new MaxPool2d<float>("pool1", Input, 2);
        Assert.Contains("pool1 input", Assert.Throws<ArgumentException>(() => pool.Forward(new Matrix<float>(3, 49))).Message);
        var bn = new BatchNorm2d<float>("bn1", Input);
        Assert.Contains("bn1 input", Assert.Throws<ArgumentException>(() => bn.Forward(new Matrix<float>(3, 49))).Message);
    }

    [Fact]
    public void WrongOutputGradientShapeIsRejected()
    {
        var conv = Conv2d<double>.Create("conv1", Input, 4, new Window(3, 1, 0), true, BatchNormLab.Models.WeightInitScheme.He, 1, new Random(1));
        conv.Forward(ConvTestData.Images<double>(3, Input, new Random(2)));
        var e = Assert.Throws<ArgumentException>(() => conv.Backward(new Matrix<double>(3, 4 * 5 * 5)));
        Assert.Contains("conv1 output gradient", e.Message);
        Assert.Contains("3x36", e.Message);
    }

    [Fact]
    public void AWindowLargerThanThePaddedInputSaysWhatToChange()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvGeometry(new ImageShape(1, 4, 6), 8, new Window(5, 1, 0), "conv2"));
        Assert.Contains("conv2", e.Message);
        Assert.Contains("5x5 window does not fit a 4x6 input", e.Message);
        Assert.Contains("smaller kernel or more padding", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(Input, 8, new Window(3, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(Input, 0, new Window(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(new ImageShape(0, 5, 5), 8, new Window(3)));
    }

    [Fact]
    public void WeightsOfTheWrongShapeNameTheExpectedLayout()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2d<float>("conv1", Input, 4, new Window(3), new Matrix<float>(18, 4), bias: false));
        Assert.Contains("C_out x C_in·k·k = 4x18", e.Message);
        Assert.Contains("18x4", e.Message);
    }

    [Fact]
    public void PoolingPaddingOverHalfTheWindowIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MaxPool2d<float>("pool1", Input, 2, 2, 2));
        Assert.Contains("padding ≤ kernel/2", e.Message);
    }

    [Fact]
    public void SpatialBatchNormNeedsMoreThanOneValuePerChannelInTraining()
    {
        var bn = new BatchNorm2d<float>("bn1", new ImageShape(3, 1, 1)) { Mode = Mode.Training };
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(new Matrix<float>(1, 3, [1, 2, 3])));
        Assert.Contains("more than 1 value per channel", e.Message);
        Assert.Contains("Mode.Inference", e.Message);
        bn.Mode = Mode.Inference;
        bn.Forward(new Matrix<float>(1, 3, [1, 2, 3])); // fine in inference
        var spatial = new BatchNorm2d<float>("bn2", new ImageShape(3, 2, 2)) { Mode = Mode.Training };
        spatial.Forward(ConvTestData.Images<float>(1, spatial.Shape, new Random(1))); // one image, 4 values per channel: fine, as in PyTorch
    }

    [Fact]
    public void NonFiniteInputIsRejectedBySpatialBatchNorm()
    {
        var bn = new BatchNorm2d<float>("bn1", Input) { Mode = Mode.Training };
        var x = ConvTestData.Images<float>(2, Input, new Random(1));
        x[1, 30] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(x));
        Assert.Contains("row 1, column 30", e.Message);
    }

    [Fact]
    public void BackwardBeforeForwardIsAnError()
    {
        Assert.Throws<InvalidOperationException>(() => Conv2d<float>.Create("c", Input, 2, new Window(3), false, BatchNormLab.Models.WeightInitScheme.He, 1, new Random(1)).Backward(new Matrix<float>(1, 18)));
        Assert.Throws<InvalidOperationException>(() => new MaxPool2d<float>("p", Input, 2).Backward(new Matrix<float>(1, 8)));
        Assert.Throws<InvalidOperationException>(() => new BatchNorm2d<float>("b", Input).Backward(new Matrix<float>(1, 50)));
    }

    [Fact]
    public void LayoutCopiesRejectAChannelCountThatDoesNotDivideTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => ChannelLayout.ToChannelColumns(new Matrix<float>(2, 10), 3, new Matrix<float>(6, 3)));
        Assert.Contains("cannot hold 3 channels", e.Message);
    }
}
