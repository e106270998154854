using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using BatchNormLab.Tests.Reference;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Normalization;

/// <summary>All parity cases, run through PyTorch once (one python start-up for the whole class).</summary>
public sealed class TorchParityFixture
{
    private readonly Lazy<(string Version, IReadOnlyList<TorchResult> Results)> _torch;

    public TorchParityFixture() => _torch = new(() => TorchReference.Run(Cases));

    public static IReadOnlyList<TorchCase> Cases { get; } = BuildCases();

    /// <summary>Torch's answers; throws (failing the test) if Debian's PyTorch is not installed.</summary>
    public (string Version, IReadOnlyList<TorchResult> Results) Torch => _torch.Value;

    private static List<TorchCase> BuildCases()
    {
        var cases = new List<TorchCase>();
        foreach (var float32 in new[] { false, true })
        {
            var rng = new Random(float32 ? 2 : 1);
            // Float32 cannot resolve 1000 ± 0.01 (its spacing at 1000 is 6e-5, so x̂ is only good to ~1e-3 in any
            // float32 implementation, torch's included): features with |mean|/std ≫ 100 are double-only cases.
            double[] means = float32 ? [0, 30, -5, 0.05, 0.5] : [0, 1000, -5, 3, 0.5];
            double[] stds = float32 ? [1, 3, 2, 0.003, 0.3] : [1, 0.01, 2, 0.003, 0.3];
            cases.Add(Case($"m=16, momentum 0.1, large means", float32, 1e-5, 0.1, means, stds, 16, [8, 2, 30], rng));
            // With m = 2, x̂ = ±1 up to ε: small spreads (σ² near ε) keep the gradient from vanishing.
            cases.Add(Case($"m=2, momentum null (cumulative)", float32, 1e-5, null, float32 ? [0.01, -0.02, 0.05] : [1, -2, 50], [0.004, 0.002, 0.01], 2, [2, 5, 3, 2], rng));
            var wideMeans = TestData.Uniform(20, -10, 10, rng);
            var wideStds = TestData.Uniform(20, 0.1, 5, rng);
            cases.Add(Case($"m=64, D=20, eps 1e-3, momentum 0.3", float32, 1e-3, 0.3, wideMeans, wideStds, 64, [64, 64], rng));
        }
        return cases;
    }

    private static TorchCase Case(string name, bool float32, double eps, double? momentum, double[] means, double[] stds,
        int m, int[] warmupSizes, Random rng)
    {
        // Values are rounded to float for float32 cases, so both sides start from identical numbers.
        double Round(double v) => float32 ? (float)v : v;
        double[][] Rows(Matrix<double> a) => Enumerable.Range(0, a.Rows).Select(i => a.Row(i).ToArray().Select(Round).ToArray()).ToArray();
        var d = means.Length;
        var gamma = Enumerable.Range(0, d).Select(j => Round((j % 3 == 2 ? -1 : 1) * (0.5 + 1.5 * rng.NextDouble()))).ToArray();
        var beta = Enumerable.Range(0, d).Select(_ => Round(rng.NextDouble() * 4 - 2)).ToArray();
        var warmup = warmupSizes.Select((n, k) => Rows(TestData.Features(n, means.Select(v => v + k).ToArray(), stds.Select(s => s * (1 + 0.5 * k)).ToArray(), rng))).ToArray();
        return new TorchCase((float32 ? "float32, " : "float64, ") + name, float32, eps, momentum, gamma, beta, warmup,
            Rows(TestData.Features(m, means, stds, rng)), Rows(TestData.Gaussian<double>(m, d, rng)));
    }
}

/// <summary>
/// Parity with an outside reference: PyTorch's BatchNorm1d (Debian's python3-torch) for the training forward,
/// the backward (x.grad, weight.grad, bias.grad), the running statistics after several steps, the eval forward and
/// the backward after it (through the running statistics).
/// Errors are max |ours − torch| / max |torch| per quantity (element-wise relative error is meaningless near 0).
/// </summary>
public class BatchNormTorchParityTests(TorchParityFixture fixture, ITestOutputHelper output) : IClassFixture<TorchParityFixture>
{
    public const double Float32Tolerance = 1e-5;
    public const double Float64Tolerance = 1e-12;

    public static TheoryData<int, BatchNormBackward> CaseIndices()
    {
        var data = new TheoryData<int, BatchNormBackward>();
        for (var i = 0; i < TorchParityFixture.Cases.Count; i++)
        {
            data.Add(i, BatchNormBackward.ClosedForm);
            data.Add(i, BatchNormBackward.Graph);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void MatchesPyTorchBatchNorm1d(int index, BatchNormBackward form)
    {
        var c = TorchParityFixture.Cases[index];
        var (version, results) = fixture.Torch;
        var torch = results[index];
        var ours = c.Float32 ? Ours<float>(c, form) : Ours<double>(c, form);
        var tolerance = c.Float32 ? Float32Tolerance : Float64Tolerance;
        var errors = new (string Name, double Error)[]
        {
            ("train y", Error(ours.TrainY, torch.TrainY)),
            ("x.grad", Error(ours.XGrad, torch.XGrad)),
            ("weight.grad", Error(ours.WeightGrad, torch.WeightGrad)),
            ("bias.grad", Error(ours.BiasGrad, torch.BiasGrad)),
            ("running_mean", Error(ours.RunningMean, torch.RunningMean)),
            ("running_var", Error(ours.RunningVar, torch.RunningVar)),
            ("eval y", Error(ours.EvalY, torch.EvalY)),
            ("eval x.grad", Error(ours.EvalXGrad, torch.EvalXGrad)),
            ("eval weight.grad", Error(ours.EvalWeightGrad, torch.EvalWeightGrad)),
            ("eval bias.grad", Error(ours.EvalBiasGrad, torch.EvalBiasGrad)),
        };
        output.WriteLine($"torch {version}, {c.Name}, {form}: " + string.Join(", ", errors.Select(e => $"{e.Name} {e.Error:E2}")));
        foreach (var (name, error) in errors)
            Assert.True(error <= tolerance, $"{c.Name}, {form}: {name} differs from torch by {error:E2} (tolerance {tolerance:E0})");
    }

    private static double Error(double[][] ours, double[][] reference) => Error(ours.SelectMany(r => r).ToArray(), reference.SelectMany(r => r).ToArray());

    private static double Error(double[] ours, double[] reference)
    {
        var scale = TestData.MaxAbs(reference);
        Assert.True(scale > 0, "reference is all zeros; the comparison would be vacuous");
        return TestData.MaxAbsDiff(ours, reference) / scale;
    }

    private static TorchResult Ours<T>(TorchCase c, BatchNormBackward form) where T : unmanaged, IFloatingPointIeee754<T>
    {
        static Matrix<T> M(double[][] rows) => Matrix<double>.FromRows(rows).Cast<T>();
        static double[][] Rows(Matrix<T> m) => Enumerable.Range(0, m.Rows).Select(i => m.Row(i).ToArray().Select(double.CreateChecked).ToArray()).ToArray();
        static double[] Values(ReadOnlySpan<T> v) => v.ToArray().Select(double.CreateChecked).ToArray();
        var bn = new BatchNorm<T>("bn", c.Gamma.Length, c.Eps, c.Momentum) { Mode = Mode.Training, BackwardForm = form };
        for (var j = 0; j < c.Gamma.Length; j++)
        {
            bn.Gamma.Value.Data[j] = T.CreateChecked(c.Gamma[j]);
            bn.Beta.Value.Data[j] = T.CreateChecked(c.Beta[j]);
        }
        foreach (var batch in c.Warmup) bn.Forward(M(batch));
        var x = M(c.X);
        var trainY = Rows(bn.Forward(x));
        var dx = Rows(bn.Backward(M(c.Dy))!);
        var runningMean = Values(bn.RunningMean);
        var runningVar = Values(bn.RunningVariance);
        var weightGrad = Values(bn.Gamma.Grad.Data);
        var biasGrad = Values(bn.Beta.Grad.Data);
        // Inference mode, then backward through the fixed running statistics (torch: eval() with x requiring grad).
        bn.Mode = Mode.Inference;
        var evalY = Rows(bn.Forward(x));
        var evalDx = Rows(bn.Backward(M(c.Dy))!);
        return new TorchResult(trainY, dx, weightGrad, biasGrad, runningMean, runningVar, evalY,
            evalDx, Values(bn.Gamma.Grad.Data), Values(bn.Beta.Grad.Data));
    }
}
