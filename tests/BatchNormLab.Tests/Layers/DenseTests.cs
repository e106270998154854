using BatchNormLab.Models;
using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Layers;

public class DenseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientsMatchCentralDifferences(bool bias)
    {
        var rng = new Random(bias ? 1 : 2);
        var dense = new Dense<double>("d", TestData.Gaussian<double>(7, 4, rng), bias);
        if (bias)
            for (var j = 0; j < 4; j++) dense.Bias!.Value.Data[j] = WeightInit.Gaussian(rng);
        var x = TestData.Gaussian<double>(5, 7, rng);
        var dy = TestData.Gaussian<double>(5, 4, rng);
        dense.Forward(x);
        var dx = dense.Backward(dy)!.Clone();
        double Loss() => TestData.Dot(dy, dense.Forward(x));
        var checks = new List<(string, GradientCheckResult)>
        {
            ("dx", GradientCheck.Check(Loss, x.Data, dx.Data)),
            ("dW", GradientCheck.Check(Loss, dense.Weights.Value.Data, dense.Weights.Grad.Data.ToArray())),
        };
        if (bias) checks.Add(("db", GradientCheck.Check(Loss, dense.Bias!.Value.Data, dense.Bias.Grad.Data.ToArray())));
        foreach (var (name, r) in checks)
        {
            output.WriteLine($"dense (bias {bias}) {name}: {r}");
            Assert.True(r.MaxRelativeError <= 1e-7, $"{name}: {r}");
        }
    }

    [Fact]
    public void InputGradientCanBeSkipped()
    {
        var rng = new Random(3);
        var dense = new Dense<double>("d", TestData.Gaussian<double>(3, 2, rng), bias: true) { ComputeInputGradient = false };
        dense.Forward(TestData.Gaussian<double>(4, 3, rng));
        Assert.Null(dense.Backward(TestData.Gaussian<double>(4, 2, rng)));
        Assert.NotEqual(0.0, TestData.MaxAbs(dense.Weights.Grad.Data));
    }

    [Fact]
    public void WrongInputWidthNamesLayerAndShapes()
    {
        var dense = new Dense<float>("dense1", new Matrix<float>(784, 100), bias: false);
        var ex = Assert.Throws<ArgumentException>(() => dense.Forward(new Matrix<float>(60, 785)));
        Assert.Contains("Shape mismatch", ex.Message);
        Assert.Contains("dense1 input", ex.Message);
        Assert.Contains("Nx784", ex.Message);
        Assert.Contains("60x785", ex.Message);
    }

    [Fact]
    public void WrongOutputGradientShapeNamesShapes()
    {
        var dense = new Dense<float>("dense2", new Matrix<float>(3, 2), bias: true);
        dense.Forward(new Matrix<float>(4, 3));
        var ex = Assert.Throws<ArgumentException>(() => dense.Backward(new Matrix<float>(5, 2)));
        Assert.Contains("dense2 output gradient", ex.Message);
        Assert.Contains("4x2", ex.Message);
        Assert.Contains("5x2", ex.Message);
    }

    [Fact]
    public void BackwardBeforeForwardIsRefused()
    {
        var dense = new Dense<float>("dense3", new Matrix<float>(3, 2), bias: true);
        var ex = Assert.Throws<InvalidOperationException>(() => dense.Backward(new Matrix<float>(4, 2)));
        Assert.Contains("dense3", ex.Message);
        Assert.Contains("Backward called before Forward", ex.Message);
    }
}
