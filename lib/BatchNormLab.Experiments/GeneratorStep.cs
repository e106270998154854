using BatchNormLab.Data;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Tensors;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// The generator's half of a GAN, hooked into the library's trainer (which trains the discriminator D): after
/// every second discriminator update, one generator step. Fakes G(z) go through D in training mode, labelled
/// "real" (the non-saturating loss −log D(G(z))); the gradient flows back through D into its input and on
/// through G; SGD updates G only. With <see cref="GanBatching.Mixed"/>, D sees the fakes beside as many real
/// images, as in its own training batches, and only the fakes' rows carry a gradient.
/// </summary>
public sealed class GeneratorStep : ITrainingObserver
{
    private readonly Sequential<float> _generator;
    private readonly IBatchSource? _real;
    private readonly Sgd<float> _sgd;
    private readonly Matrix<float> _z;
    private readonly Matrix<float> _mixed;
    private readonly Matrix<float> _dFake;
    private readonly int[] _labels;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private readonly Random _rng;
    private readonly List<double> _losses = [];

    /// <summary>Creates the step.</summary>
    /// <param name="generator">G (its parameters are the ones updated).</param>
    /// <param name="batchSize">Fakes per generator step.</param>
    /// <param name="learningRate">η of G's SGD.</param>
    /// <param name="momentum">G's SGD momentum.</param>
    /// <param name="mixedWith">Real images to put beside the fakes (the mixed regime), or null (all-fake batches).</param>
    /// <param name="seed">Seed of the noise.</param>
    public GeneratorStep(Sequential<float> generator, int batchSize, double learningRate, double momentum, IBatchSource? mixedWith, int seed)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _real = mixedWith;
        _sgd = new Sgd<float>(learningRate, momentum);
        _z = new Matrix<float>(batchSize, generator.InputSize);
        var rows = mixedWith is null ? batchSize : batchSize + mixedWith.BatchSize;
        _mixed = new Matrix<float>(rows, generator.OutputSize);
        _dFake = new Matrix<float>(batchSize, generator.OutputSize);
        _labels = new int[rows];
        Array.Fill(_labels, Gan.Real);
        _rng = new Random(seed);
    }

    /// <summary>The generator loss −log D(G(z)) of every generator step so far (mean over its fakes).</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>Called after each generator step with the number of generator steps done (for snapshots).</summary>
    public Action<int>? AfterGeneratorStep { get; init; }

    /// <inheritdoc/>
    public void AfterUpdate(int step, Sequential<float> model)
    {
        if (step % 2 == 0) return;   // one generator step per two discriminator steps
        GeneratedBatches.Noise(_z, _rng);
        var fake = _generator.Forward(_z);
        var realRows = _real is null ? 0 : _real.BatchSize;
        var input = fake;
        if (_real is not null)
        {
            input = _mixed;
            _real.Next().Images.Data.CopyTo(input.Data, 0);
            fake.Data.CopyTo(input.Data, realRows * fake.Cols);
        }
        var logits = model.Forward(input);
        _loss.Forward(logits, _labels);
        var g = _loss.Backward();   // (p − onehot)/rows
        var scale = (float)input.Rows / fake.Rows;   // a mean over the fakes only
        var mean = 0.0;
        for (var i = 0; i < g.Rows; i++)
        {
            var row = g.Row(i);
            if (i < realRows) { row.Clear(); continue; }
            for (var j = 0; j < row.Length; j++) row[j] *= scale;
            mean -= Math.Log(Math.Max(_loss.Probabilities[i, Gan.Real], 1e-30f));
        }
        _losses.Add(mean / fake.Rows);
        var dInput = model.Backward(g)
            ?? throw new InvalidOperationException("The discriminator's first layer does not compute its input gradient; set Dense.ComputeInputGradient = true.");
        dInput.Data.AsSpan(realRows * fake.Cols, fake.Data.Length).CopyTo(_dFake.Data);
        _generator.Backward(_dFake);
        _sgd.Step(_generator.Parameters);
        AfterGeneratorStep?.Invoke(_losses.Count);
    }
}
