using System.Numerics;
using BatchNormLab.Convolution;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// The 2 x 2, stride 2 pooling path against the general window loop: identical maxima and winners (the same
/// comparisons in the same order, so exactly equal), on data full of ties and with NaNs, odd and even sizes.
/// </summary>
public class MaxPoolTwoByTwoTests
{
    [Theory]
    [InlineData(3, 2, 28, 28)]
    [InlineData(2, 3, 7, 9)]  // odd: the last row and column are not covered, as in PyTorch
    [InlineData(4, 1, 2, 2)]
    public void Double_equals_the_general_loop(int n, int c, int h, int w) => Compare<double>(n, new ImageShape(c, h, w));

    [Theory]
    [InlineData(3, 2, 28, 28)]
    [InlineData(2, 3, 7, 9)]
    public void Float_equals_the_general_loop(int n, int c, int h, int w) => Compare<float>(n, new ImageShape(c, h, w));

    private static void Compare<T>(int n, ImageShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(shape.Size + n);
        var x = new Matrix<T>(n, shape.Size);
        // Few distinct values, so most windows have ties; some NaNs, in every position of a window over the batch.
        for (var i = 0; i < x.Data.Length; i++)
            x.Data[i] = rng.Next(40) == 0 ? T.NaN : T.CreateChecked(rng.Next(5) - 2);
        x.Data[shape.Width + 1] = T.NaN; // the last candidate of the first window
        var window = new Window(2, 2);
        var output = MaxPoolMath.OutputShape(shape, window);
        var (fast, general) = (new Matrix<T>(n, output.Size), new Matrix<T>(n, output.Size));
        var (fastArgmax, generalArgmax) = (new int[fast.Data.Length], new int[general.Data.Length]);
        MaxPoolMath.Forward(x, shape, window, fast, fastArgmax);
        MaxPoolMath.ForwardAnyWindow(x, shape, window, general, generalArgmax);
        Assert.Equal(generalArgmax, fastArgmax);
        for (var i = 0; i < fast.Data.Length; i++)
            Assert.True(fast.Data[i].Equals(general.Data[i]), $"output {i}: {fast.Data[i]} vs {general.Data[i]}");
        Assert.Contains(general.Data, v => T.IsNaN(v));
        Assert.Contains(general.Data, v => !T.IsNaN(v));
    }
}
