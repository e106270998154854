using BatchNormLab.Layers;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Optimizers;

public class SgdTests
{
    [Fact]
    public void MomentumFollowsVelocityThenStep()
    {
        // v ← μ v + g; θ ← θ − η v, by hand for η = 0.1, μ = 0.9, θ₀ = [1, −2], gradients g₁, g₂, g₃:
        // g₁ = [0.5, 1]:   v = [0.5, 1],          θ = [0.95, −2.1]
        // g₂ = [−1, 0.25]: v = [−0.55, 1.15],     θ = [1.005, −2.215]
        // g₃ = [0, 0]:     v = [−0.495, 1.035],   θ = [1.0545, −2.3185]
        var p = new Parameter<double>("theta", Matrix<double>.RowVector(1.0, -2.0));
        var sgd = new Sgd<double>(0.1, momentum: 0.9);
        double[][] grads = [[0.5, 1], [-1, 0.25], [0, 0]];
        double[][] expected = [[0.95, -2.1], [1.005, -2.215], [1.0545, -2.3185]];
        for (var t = 0; t < grads.Length; t++)
        {
            grads[t].CopyTo(p.Grad.Data, 0);
            sgd.Step([p]);
            Assert.Equal(expected[t][0], p.Value.Data[0], 14);
            Assert.Equal(expected[t][1], p.Value.Data[1], 14);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void FrozenParameterKeepsItsValueWhileOthersMove(double momentum)
    {
        var frozen = new Parameter<double>("gamma", Matrix<double>.RowVector(1.5, -0.5)) { Trainable = false };
        var free = new Parameter<double>("beta", Matrix<double>.RowVector(0.25, 2.0));
        var sgd = new Sgd<double>(0.1, momentum);
        Matrix<double>.RowVector(0.3, -0.7).Data.CopyTo(frozen.Grad.Data, 0);
        Matrix<double>.RowVector(0.3, -0.7).Data.CopyTo(free.Grad.Data, 0);
        sgd.Step([frozen, free]);
        Assert.Equal([1.5, -0.5], frozen.Value.Data);
        Assert.Equal(0.25 - 0.1 * 0.3, free.Value.Data[0], 14);
        // Unfrozen, it moves from where it was, with no velocity saved up while frozen.
        frozen.Trainable = true;
        sgd.Step([frozen]);
        Assert.Equal(1.5 - 0.1 * 0.3, frozen.Value.Data[0], 14);
    }

    [Fact]
    public void PlainSgdIsThetaMinusLearningRateTimesGradient()
    {
        var p = new Parameter<double>("theta", Matrix<double>.RowVector(1.0, -2.0));
        var sgd = new Sgd<double>(0.5);
        Matrix<double>.RowVector(0.2, -0.4).Data.CopyTo(p.Grad.Data, 0);
        sgd.Step([p]);
        sgd.Step([p]); // no memory of the previous step without momentum
        Assert.Equal(0.8, p.Value.Data[0], 14);
        Assert.Equal(-1.6, p.Value.Data[1], 14);
    }

    /// <summary>Step reports divergence: false as soon as any updated value is NaN or infinite, with or without momentum.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void StepSaysWhetherEveryParameterIsFinite(double momentum)
    {
        var a = new Parameter<float>("a", new Matrix<float>(3, 7)); // 21 values: vector body and tail
        var b = new Parameter<float>("b", new Matrix<float>(1, 5));
        var sgd = new Sgd<float>(0.1, momentum);
        Array.Fill(a.Grad.Data, 1f);
        Assert.True(sgd.Step([a, b]));
        foreach (var at in new[] { 0, 9, 20 })
        {
            Array.Fill(a.Value.Data, 0f);
            a.Grad.Data[at] = float.MaxValue;
            a.Value.Data[at] = -float.MaxValue; // θ − η g overflows to −∞
            Assert.False(sgd.Step([a, b]), $"overflow at {at}");
            a.Grad.Data[at] = 1f;
        }
        Array.Fill(a.Value.Data, 0f);
        b.Value.Data[4] = float.NaN;
        Assert.False(sgd.Step([a, b]));
    }

    [Fact]
    public void VelocityIsKeptPerParameter()
    {
        var a = new Parameter<double>("a", Matrix<double>.RowVector(0.0));
        var b = new Parameter<double>("b", Matrix<double>.RowVector(0.0));
        var sgd = new Sgd<double>(1, momentum: 0.5);
        a.Grad.Data[0] = 1;
        b.Grad.Data[0] = -1;
        sgd.Step([a, b]);
        sgd.Step([a, b]);
        Assert.Equal(-2.5, a.Value.Data[0], 14); // v = 1, then 1.5
        Assert.Equal(2.5, b.Value.Data[0], 14);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-0.1, 0.0)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.1, -0.5)]
    public void BadHyperparametersAreRefused(double lr, double momentum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(lr, momentum));
}
