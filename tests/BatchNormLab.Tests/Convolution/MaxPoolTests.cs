using BatchNormLab.Convolution;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>Max pooling's winner rule on hand-made windows: ties, NaN, padding.</summary>
public class MaxPoolTests
{
    [Fact]
    public void TiesGoToTheFirstMaximumInRowMajorOrder()
    {
        // One 2x2 window holding 3 twice: the first (row 0, column 1) wins and gets the gradient.
        var y = new Matrix<double>(1, 1);
        var argmax = new int[1];
        MaxPoolMath.Forward(Matrix<double>.FromRows([1, 3, 3, 2]), new ImageShape(1, 2, 2), new Window(2, 2), y, argmax);
        Assert.Equal(3, y[0, 0]);
        Assert.Equal(1, argmax[0]);
    }

    [Fact]
    public void NaNWinsItsWindowAndPropagatesAsInPyTorch()
    {
        var y = new Matrix<double>(1, 2);
        var argmax = new int[2];
        // Two 2x2 windows side by side on a 2x4 image; the NaN sits in the second, after a larger value.
        MaxPoolMath.Forward(Matrix<double>.FromRows([1, 5, 9, 2, 4, 0, double.NaN, 3]), new ImageShape(1, 2, 4), new Window(2, 2), y, argmax);
        Assert.Equal(5, y[0, 0]);
        Assert.True(double.IsNaN(y[0, 1]));
        Assert.Equal(6, argmax[1]);
    }

    [Fact]
    public void PaddedCellsNeverWin()
    {
        // All values negative: a zero-padded border would win if padding took part.
        // 2x2 windows, stride 1, padding 1 on a 2x2 image: a 3x3 output, the corner windows see one real cell.
        var y = new Matrix<double>(1, 9);
        var argmax = new int[9];
        MaxPoolMath.Forward(Matrix<double>.FromRows([-1, -2, -3, -4]), new ImageShape(1, 2, 2), new Window(2, 1, 1), y, argmax);
        Assert.Equal([-1, -1, -2, -1, -1, -2, -3, -3, -4], y.Data);
    }
}
