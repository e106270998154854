using BatchNormLab.Activations;
using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Normalization;

/// <summary>Folding a trained BN into the dense layer before it gives the same inference output.</summary>
public class BatchNormFoldingTests(ITestOutputHelper output)
{
    private static Sequential<T> TrainedNetwork<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = Mlp<T>.Create(new MlpOptions { Sizes = [8, 6, 5, 3], Activation = Activation.Sigmoid }.WithBatchNorm(), seed);
        var rng = new Random(seed + 1);
        var loss = new SoftmaxCrossEntropy<T>();
        var sgd = new Sgd<T>(0.3);
        net.Mode = Mode.Training;
        for (var step = 0; step < 20; step++)
        {
            // Shifted, scaled inputs so that the running statistics are far from their initial 0 and 1.
            var x = TestData.Gaussian<T>(16, 8, rng, std: 4);
            for (var i = 0; i < x.Data.Length; i++) x.Data[i] += T.CreateChecked(2.5);
            loss.Forward(net.Forward(x), TestData.Labels(16, 3, rng));
            net.Backward(loss.Backward());
            sgd.Step(net.Parameters);
        }
        net.Mode = Mode.Inference;
        return net;
    }

    private double FoldedVersusUnfolded<T>(Sequential<T> net, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestData.Gaussian<T>(10, net.InputSize, rng, std: 4);
        var worst = 0.0;
        var h = x;
        var dense = net.LayersOf<Dense<T>>();
        var activations = net.LayersOf<ActivationLayer<T>>();
        var norms = net.LayersOf<BatchNorm<T>>();
        for (var l = 0; l < norms.Count; l++)
        {
            var bn = norms[l];
            Assert.Contains(bn.RunningVariance, v => Math.Abs(double.CreateChecked(v) - 1) > 0.1);
            var reference = bn.Forward(dense[l].Forward(h)).Cast<double>();
            var folded = BatchNormFolding.Fold(dense[l], bn).Forward(h).Cast<double>();
            worst = Math.Max(worst, TestData.MaxAbsDiff(folded.Data, reference.Data) / TestData.MaxAbs(reference.Data));
            h = activations[l].Forward(bn.Forward(dense[l].Forward(h))).Clone();
        }
        return worst;
    }

    [Fact]
    public void FoldedInferenceEqualsDenseThenBatchNormInDouble()
    {
        var e = FoldedVersusUnfolded(TrainedNetwork<double>(3), new Random(8));
        output.WriteLine($"double: max |folded - (dense, BN)| / max |reference| = {e:E2}");
        Assert.True(e <= 1e-13, $"folded differs by {e:E2}");
    }

    [Fact]
    public void FoldedInferenceEqualsDenseThenBatchNormInFloat()
    {
        var e = FoldedVersusUnfolded(TrainedNetwork<float>(3), new Random(8));
        output.WriteLine($"float: max |folded - (dense, BN)| / max |reference| = {e:E2}");
        Assert.True(e <= 1e-5, $"folded differs by {e:E2}");
    }

    [Fact]
    public void FoldingKeepsAnExistingBias()
    {
        var rng = new Random(21);
        var dense = new Dense<double>("d", TestData.Gaussian<double>(4, 3, rng), bias: true);
        for (var j = 0; j < 3; j++) dense.Bias!.Value.Data[j] = WeightInit.Gaussian(rng) * 5;
        var bn = new BatchNorm<double>("bn", 3) { Mode = Mode.Inference };
        TestData.RandomAffine(bn, rng);
        for (var j = 0; j < 3; j++)
        {
            bn.RunningMean[j] = WeightInit.Gaussian(rng) * 3;
            bn.RunningVariance[j] = 0.1 + rng.NextDouble() * 4;
        }
        var x = TestData.Gaussian<double>(5, 4, rng);
        var reference = bn.Forward(dense.Forward(x)).Clone();
        var folded = BatchNormFolding.Fold(dense, bn).Forward(x);
        var e = TestData.MaxAbsDiff(folded.Data, reference.Data) / TestData.MaxAbs(reference.Data);
        output.WriteLine($"with bias: {e:E2}");
        Assert.True(e <= 1e-13, $"folded differs by {e:E2}");
    }
}
