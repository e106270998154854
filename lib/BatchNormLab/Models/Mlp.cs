using System.Numerics;
using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Models;

/// <summary>
/// A multilayer perceptron: for each hidden layer u = xW (+ b), then normalisation (if any) on u,
/// then the nonlinearity; a final dense layer gives the logits. Batch norm sits where the paper puts
/// it: between the linear map and the nonlinearity.
/// </summary>
public sealed class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<ILayer<T>> _layers = [];

    private Mlp(MlpOptions options, Random rng)
    {
        var sizes = options.Sizes;
        if (sizes is null || sizes.Length < 2 || sizes.Any(s => s <= 0))
            throw new ArgumentException($"An MLP needs at least two positive layer sizes; got [{string.Join(", ", sizes ?? [])}].", nameof(options));
        Options = options;
        var hidden = new List<HiddenBlock<T>>();
        for (var l = 0; l < sizes.Length - 2; l++)
        {
            var n = l + 1;
            var normalization = CreateNormalization(options, n, sizes[l + 1]);
            var dense = new Dense<T>($"dense{n}", WeightInit.Create<T>(options.Init, sizes[l], sizes[l + 1], options.InitScale, rng), bias: normalization is null);
            var act = new ActivationLayer<T>($"{options.Activation.ToString().ToLowerInvariant()}{n}", options.Activation);
            hidden.Add(new HiddenBlock<T>(dense, normalization, act));
            _layers.Add(dense);
            if (normalization is not null) _layers.Add(normalization);
            _layers.Add(act);
        }
        var last = sizes.Length - 1;
        Output = new Dense<T>($"dense{last}", WeightInit.Create<T>(options.Init, sizes[last - 1], sizes[last], options.InitScale, rng), bias: true);
        _layers.Add(Output);
        // Nobody needs ∂ℓ/∂(input images); skipping it saves a large product per step.
        ((Dense<T>)_layers[0]).ComputeInputGradient = false;
        Hidden = hidden;
        Parameters = _layers.SelectMany(layer => layer.Parameters).ToList();
    }

    /// <summary>Builds the network; every weight is drawn from <paramref name="rng"/>.</summary>
    public static Mlp<T> Create(MlpOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        return new Mlp<T>(options, rng);
    }

    /// <summary>Builds the network from a seed.</summary>
    public static Mlp<T> Create(MlpOptions options, int seed) => Create(options, new Random(seed));

    /// <summary>The options this network was built from.</summary>
    public MlpOptions Options { get; }

    /// <summary>All layers in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>The hidden layers.</summary>
    public IReadOnlyList<HiddenBlock<T>> Hidden { get; }

    /// <summary>The final dense layer (logits).</summary>
    public Dense<T> Output { get; }

    /// <summary>Every learnable parameter.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Number of input features.</summary>
    public int InputSize => Options.Sizes[0];

    /// <summary>Number of classes.</summary>
    public int OutputSize => Options.Sizes[^1];

    /// <summary>Training or inference mode for every layer.</summary>
    public Mode Mode
    {
        get => _layers[0].Mode;
        set
        {
            foreach (var layer in _layers) layer.Mode = value;
        }
    }

    /// <summary>The batch norm layers (empty without BN).</summary>
    public IEnumerable<BatchNorm<T>> BatchNorms => Hidden.Select(h => h.Normalization).OfType<BatchNorm<T>>();

    /// <summary>The logits (N x classes) for a batch <paramref name="x"/> (N x inputs).</summary>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, InputSize, "network input");
        Guard.Finite(x, "network input");
        var h = x;
        foreach (var layer in _layers) h = layer.Forward(h);
        return h;
    }

    /// <summary>Backpropagates ∂ℓ/∂logits through every layer, setting every parameter's gradient.</summary>
    public void Backward(Matrix<T> dLogits)
    {
        Matrix<T>? g = dLogits;
        for (var i = _layers.Count - 1; i >= 0 && g is not null; i--) g = _layers[i].Backward(g);
    }

    private static ILayer<T>? CreateNormalization(MlpOptions options, int n, int features) => options.Normalization switch
    {
        NormalizationKind.None => null,
        NormalizationKind.BatchNorm => new BatchNorm<T>($"bn{n}", features, options.BatchNormEps, options.BatchNormMomentum),
        NormalizationKind.BatchRenorm => new BatchRenorm<T>($"brn{n}", features, options.BatchRenormSchedule, options.BatchRenormRate, options.BatchNormEps),
        NormalizationKind.LayerNorm => new LayerNorm<T>($"ln{n}", features, options.BatchNormEps),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Normalization, "Unknown normalisation."),
    };
}
