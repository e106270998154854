using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Tensors;

/// <summary>The SIMD helpers against the plain scalar loops they replace, on lengths that hit the vector body and the tail.</summary>
public class VectorMathTests
{
    public static TheoryData<int> Lengths() => new() { 0, 1, 7, 8, 9, 16, 17, 33, 100 };

    private static float[] Random(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElementWiseOpsEqualTheScalarLoopsBitForBit(int n)
    {
        float[] x = Random(n, 1), z = Random(n, 2), c = Random(n, 3), y0 = Random(n, 4);
        const float alpha = -0.37f;

        var y = (float[])y0.Clone();
        VectorMath.Add<float>(x, y);
        Assert.Equal(y0.Select((v, i) => v + x[i]), y);

        y = (float[])y0.Clone();
        Assert.True(VectorMath.AddScaledAllFinite<float>(alpha, x, y));
        Assert.Equal(y0.Select((v, i) => v + alpha * x[i]), y);
        for (var at = 0; at < n; at++)
        {
            y = (float[])y0.Clone();
            y[at] = float.PositiveInfinity;
            Assert.False(VectorMath.AddScaledAllFinite<float>(alpha, x, y), $"∞ at {at} of {n}");
        }

        y = (float[])y0.Clone();
        VectorMath.AddProduct<float>(x, z, y);
        Assert.Equal(y0.Select((v, i) => v + x[i] * z[i]), y);

        y = (float[])y0.Clone();
        VectorMath.AddSquaredDifference<float>(x, c, y);
        Assert.Equal(y0.Select((v, i) => v + (x[i] - c[i]) * (x[i] - c[i])), y);

        var r = new float[n];
        VectorMath.SubtractMultiply<float>(x, c, z, r);
        Assert.Equal(x.Select((v, i) => (v - c[i]) * z[i]), r);

        VectorMath.MultiplyAdd<float>(z, x, c, r);
        Assert.Equal(x.Select((v, i) => z[i] * v + c[i]), r);

        VectorMath.SigmoidBackward<float>(x, z, r);
        Assert.Equal(x.Select((v, i) => z[i] * v * (1 - v)), r);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SigmoidMatchesTheDefinition(int n)
    {
        var x = Random(n, 5, scale: 30); // deep into both tails too
        var y = new float[n];
        VectorMath.Sigmoid<float>(x, y);
        for (var i = 0; i < n; i++)
        {
            var exact = 1 / (1 + Math.Exp(-x[i]));
            Assert.True(Math.Abs(y[i] - exact) <= 4e-7 * exact + 1e-38, $"σ({x[i]}) = {y[i]}, exact {exact}");
        }
        var xd = x.Select(v => (double)v).ToArray();
        var yd = new double[n];
        VectorMath.Sigmoid<double>(xd, yd);
        for (var i = 0; i < n; i++) Assert.Equal(1 / (1 + Math.Exp(-xd[i])), yd[i], 1e-15);
    }

    [Theory]
    [InlineData(0, float.NaN)]
    [InlineData(5, float.PositiveInfinity)]
    [InlineData(8, float.NegativeInfinity)]
    [InlineData(37, float.NaN)]
    [InlineData(99, float.PositiveInfinity)]
    public void IndexOfNonFiniteFindsTheFirstOne(int at, float bad)
    {
        var x = Random(100, 6, scale: 1e30);
        Assert.Equal(-1, VectorMath.IndexOfNonFinite<float>(x));
        x[at] = bad;
        if (at + 3 < x.Length) x[at + 3] = float.NaN; // a later one must not be reported
        Assert.Equal(at, VectorMath.IndexOfNonFinite<float>(x));
        var d = x.Select(v => (double)v).ToArray();
        Assert.Equal(at, VectorMath.IndexOfNonFinite<double>(d));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReluEqualsTheScalarLoopBitForBitOnSpecialValues(int n)
    {
        // Special values at every position mod 8, so each lands in the vector body and in the tail.
        float[] special = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, -2.5f, 3.25f];
        var x = Random(n, 6, scale: 3);
        for (var i = 0; i < n; i += 2) x[i] = special[(i / 2) % special.Length];
        var dy = Random(n, 7);
        if (n > 3) dy[3] = float.NaN;

        var y = new float[n];
        VectorMath.Relu<float>(x, y);
        Assert.Equal(x.Select(v => BitConverter.SingleToInt32Bits(float.Max(v, 0f))), y.Select(BitConverter.SingleToInt32Bits));

        var dx = new float[n];
        VectorMath.ReluBackward<float>(x, dy, dx);
        Assert.Equal(x.Select((v, i) => BitConverter.SingleToInt32Bits(v > 0f ? dy[i] : 0f)), dx.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]     // tail columns only
    [InlineData(60, 100)]  // blocks of 32, then 4 tail columns
    [InlineData(5, 41)]    // a block, one vector, a tail
    public void SumRowsEqualsAddingRowAfterRowBitForBit(int m, int d)
    {
        var x = Random(m * d, 8, scale: 5);
        var expected = new float[d];
        for (var i = 0; i < m; i++) VectorMath.Add<float>(x.AsSpan(i * d, d), expected);
        var sum = Random(d, 9); // overwritten, not added to
        VectorMath.SumRows<float>(x, d, sum);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), sum.Select(BitConverter.SingleToInt32Bits));
        // m·d values do not form rows of d + 1 in any of these cases.
        Assert.Throws<ArgumentException>(() => VectorMath.SumRows<float>(x, d + 1, new float[d + 1]));
    }

    [Fact]
    public void LengthMismatchIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => VectorMath.Add<float>(new float[3], new float[4]));
        Assert.Contains("3 and 4", ex.Message);
    }
}
