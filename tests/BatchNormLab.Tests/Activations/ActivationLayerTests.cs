using BatchNormLab.Tensors;
using BatchNormLab.Activations;
using BatchNormLab.Checks;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Activations;

public class ActivationLayerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.ReLU)]
    public void GradientMatchesCentralDifferences(Activation f)
    {
        var rng = new Random((int)f + 1);
        // Spread 1.5: mostly unsaturated. Deep in saturation f' = 1 − y² is computed from the rounded output y,
        // so its relative precision drops (absolute error stays ~1e-16); that is the float-speed trade-off.
        var x = TestData.Gaussian<double>(6, 5, rng, std: 1.5);
        // Keep ReLU's inputs away from its kink, where no derivative exists.
        for (var i = 0; i < x.Data.Length; i++)
            if (Math.Abs(x.Data[i]) < 1e-2) x.Data[i] += 0.1;
        var dy = TestData.Gaussian<double>(6, 5, rng);
        var layer = new ActivationLayer<double>("act", f);
        layer.Forward(x);
        var dx = layer.Backward(dy)!.Clone();
        double Loss() => TestData.Dot(dy, layer.Forward(x));
        var r = GradientCheck.Check(Loss, x.Data, dx.Data);
        output.WriteLine($"{f}: {r}");
        Assert.True(r.MaxRelativeError <= 1e-7, $"{f}: {r}");
    }

    [Theory]
    [InlineData(Activation.Sigmoid, 0.0, 0.5)]
    [InlineData(Activation.Sigmoid, 2.0, 0.8807970779778823)]
    [InlineData(Activation.Tanh, 0.5, 0.46211715726000974)]
    [InlineData(Activation.ReLU, -0.5, 0.0)]
    [InlineData(Activation.ReLU, 1.25, 1.25)]
    public void ForwardMatchesTheDefinition(Activation f, double x, double expected)
    {
        var y = new double[1];
        ActivationMath.Forward<double>(f, [x], y);
        Assert.Equal(expected, y[0], 15);
    }

    [Fact]
    public void BackwardBeforeForwardIsRefused()
    {
        var layer = new ActivationLayer<float>("sigmoid1", Activation.Sigmoid);
        var ex = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(2, 2)));
        Assert.Contains("sigmoid1", ex.Message);
        Assert.Contains("before Forward", ex.Message);
    }
}
