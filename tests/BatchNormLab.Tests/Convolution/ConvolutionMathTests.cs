using System.Numerics;
using BatchNormLab.Convolution;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// The im2col convolution (<see cref="ConvolutionMath"/> on the fast GEMM) against the plain loops of
/// <see cref="ConvolutionReference"/>, forward and backward, over geometries that exercise padding, stride,
/// kernels larger than the stride, 1x1 kernels and non-square images; and the layout copies it relies on.
/// </summary>
public class ConvolutionMathTests
{
    /// <summary>N, C_in, H, W, C_out, k, stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries() => new()
    {
        { 2, 1, 6, 6, 3, 3, 1, 1 },   // same-size 3x3, one input channel
        { 3, 2, 7, 5, 4, 3, 1, 0 },   // valid, non-square
        { 2, 3, 9, 8, 5, 3, 2, 1 },   // stride 2 with padding: odd sizes, partial windows at the border
        { 1, 4, 5, 5, 2, 1, 1, 0 },   // 1x1 kernel: a per-location dense layer
        { 2, 2, 6, 7, 3, 5, 1, 2 },   // 5x5 with padding 2
        { 2, 2, 8, 8, 3, 4, 3, 2 },   // stride 3, even kernel
        { 5, 16, 7, 7, 8, 3, 1, 1 },  // the small CNN's second block, shrunk
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColConvolutionMatchesPlainLoopsInDouble(int n, int c, int h, int w, int cOut, int k, int s, int pad)
        => CheckAgainstReference<double>(n, c, h, w, cOut, k, s, pad, 1e-13);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColConvolutionMatchesPlainLoopsInFloat(int n, int c, int h, int w, int cOut, int k, int s, int pad)
        => CheckAgainstReference<float>(n, c, h, w, cOut, k, s, pad, 1e-5);

    private static void CheckAgainstReference<T>(int n, int c, int h, int w, int cOut, int k, int s, int pad, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(new ImageShape(c, h, w), cOut, new Window(k, s, pad));
        var rng = new Random(n * 1000 + c * 100 + k * 10 + s);
        var x = ConvTestData.RoundedToFloat(ConvTestData.Images<double>(n, g.Input, rng));
        var weights = ConvTestData.RoundedToFloat(TestData.Gaussian<double>(cOut, g.PatchSize, rng, 0.3));
        var bias = TestData.Uniform(cOut, -1, 1, rng).Select(v => (double)(float)v).ToArray();
        var dy = ConvTestData.RoundedToFloat(TestData.Gaussian<double>(n, g.Output.Size, rng));

        var yRef = ConvolutionReference.Forward(x, weights, bias, g);
        var (dxRef, dwRef, dbRef) = ConvolutionReference.Backward(x, weights, dy, g);

        int np = n * g.Locations;
        var patches = new Matrix<T>(g.PatchSize, np);
        var rows = new Matrix<T>(cOut, np);
        var y = new Matrix<T>(n, g.Output.Size);
        ConvolutionMath.Forward(x.Cast<T>(), weights.Cast<T>(), bias.Select(T.CreateChecked).ToArray(), g, patches, rows, y);
        var dw = new Matrix<T>(cOut, g.PatchSize);
        var db = new T[cOut];
        var dx = new Matrix<T>(n, g.Input.Size);
        ConvolutionMath.Backward(dy.Cast<T>(), patches, weights.Cast<T>(), g, rows, dw, db, new Matrix<T>(g.PatchSize, np), dx);

        Assert.True(ConvTestData.ScaledError(y, yRef) <= tolerance, $"y: {ConvTestData.ScaledError(y, yRef):E2}");
        Assert.True(ConvTestData.ScaledError(dx, dxRef) <= tolerance, $"dx: {ConvTestData.ScaledError(dx, dxRef):E2}");
        Assert.True(ConvTestData.ScaledError(dw, dwRef) <= tolerance, $"dW: {ConvTestData.ScaledError(dw, dwRef):E2}");
        var dbError = ConvTestData.ScaledError(db.Select(double.CreateChecked).ToArray(), dbRef);
        Assert.True(dbError <= tolerance, $"db: {dbError:E2}");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2ImIsTheAdjointOfIm2Col(int n, int c, int h, int w, int cOut, int k, int s, int pad)
    {
        // ⟨im2col(x), P⟩ = ⟨x, col2im(P)⟩ for random x and P: what makes col2im the right backward for im2col.
        var g = new ConvGeometry(new ImageShape(c, h, w), cOut, new Window(k, s, pad));
        var rng = new Random(7 + n + k);
        var x = ConvTestData.Images<double>(n, g.Input, rng);
        var p = TestData.Gaussian<double>(g.PatchSize, n * g.Locations, rng);
        var unfolded = new Matrix<double>(g.PatchSize, n * g.Locations);
        Im2Col.Unfold(x, g, unfolded);
        var folded = new Matrix<double>(n, g.Input.Size);
        Im2Col.Fold(p, g, folded);
        var left = TestData.Dot(unfolded, p);
        var right = TestData.Dot(x, folded);
        Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Max(1, Math.Abs(left)), $"⟨im2col x, P⟩ = {left}, ⟨x, col2im P⟩ = {right}");
    }

    [Fact]
    public void Im2ColPutsPatchesInPyTorchWeightOrderWithZeroPadding()
    {
        // One 1-channel 3x3 image 1..9, 2x2 kernel, padding 1, stride 2: outputs at (0,0),(0,1),(1,0),(1,1);
        // the patch of output (0,0) covers rows -1..0, cols -1..0: only pixel (0,0) = 1 is inside, in tap (1,1).
        var g = new ConvGeometry(new ImageShape(1, 3, 3), 1, new Window(2, 2, 1));
        var x = Matrix<double>.FromRows([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var patches = new Matrix<double>(4, 4);
        Im2Col.Unfold(x, g, patches);
        double[][] expected =
        [
            [0, 0, 0, 5], // tap (0,0)
            [0, 0, 4, 6], // tap (0,1)
            [0, 2, 0, 8], // tap (1,0)
            [1, 3, 7, 9], // tap (1,1)
        ];
        for (var r = 0; r < 4; r++) Assert.Equal(expected[r], patches.Row(r).ToArray());
    }

    [Fact]
    public void ChannelLayoutsRoundTripAndPlaceEachValue()
    {
        var rng = new Random(3);
        var shape = new ImageShape(3, 2, 5);
        var x = ConvTestData.Images<double>(4, shape, rng);
        var rows = new Matrix<double>(3, 4 * 10);
        var columns = new Matrix<double>(4 * 10, 3);
        ChannelLayout.ToChannelRows(x, 3, rows);
        ChannelLayout.ToChannelColumns(x, 3, columns);
        for (var n = 0; n < 4; n++)
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < 10; p++)
                {
                    Assert.Equal(x[n, c * 10 + p], rows[c, n * 10 + p]);
                    Assert.Equal(x[n, c * 10 + p], columns[n * 10 + p, c]);
                }
        var back1 = new Matrix<double>(4, 30);
        var back2 = new Matrix<double>(4, 30);
        ChannelLayout.FromChannelRows(rows, back1);
        ChannelLayout.FromChannelColumns(columns, back2);
        Assert.Equal(x.Data, back1.Data);
        Assert.Equal(x.Data, back2.Data);
    }
}
