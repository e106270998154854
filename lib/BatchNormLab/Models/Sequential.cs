using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Models;

/// <summary>
/// A network as a sequence of layers: the forward pass runs them in order, the backward pass in
/// reverse. The paper's MLP is one way to build it (<see cref="Mlp{T}"/>); any list of
/// <see cref="ILayer{T}"/> is another (layers may be shared between two models, e.g. two domains
/// that share weights but not batch norm).
/// </summary>
public sealed class Sequential<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private Mode _mode;

    /// <summary>Creates the model.</summary>
    /// <param name="inputSize">Features per input row (e.g. 784 for 28 x 28 images).</param>
    /// <param name="outputSize">Values per output row (the logits: one per class).</param>
    /// <param name="layers">The layers, input side first.</param>
    public Sequential(int inputSize, int outputSize, IEnumerable<ILayer<T>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output size must be positive.");
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        if (_layers.Any(l => l is null)) throw new ArgumentException("A layer in the list is null.", nameof(layers));
        var names = _layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null) throw new ArgumentException($"Two layers are named '{names.Key}'; give every layer its own name (probes and parameters are reported by name).", nameof(layers));
        InputSize = inputSize;
        OutputSize = outputSize;
        Parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        // A BatchNorm2d is batch norm over channels on a rearranged batch: its per-channel layer is the one with running estimates.
        Normalizations = _layers.Select(l => l is Convolution.BatchNorm2d<T> spatial ? spatial.PerChannel : l as NormalizationLayer<T>)
            .OfType<NormalizationLayer<T>>().ToArray();
        Mode = Mode.Training;
    }

    /// <summary>All layers in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Every learnable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The normalisation layers (batch norm, batch renorm, layer norm; a BatchNorm2d's per-channel batch norm), in order.</summary>
    public IReadOnlyList<NormalizationLayer<T>> Normalizations { get; }

    /// <summary>Number of input features.</summary>
    public int InputSize { get; }

    /// <summary>Number of outputs (classes).</summary>
    public int OutputSize { get; }

    /// <summary>The layers of type <typeparamref name="TLayer"/>, in order (e.g. <c>LayersOf&lt;BatchNorm&lt;float&gt;&gt;()</c>).</summary>
    public IReadOnlyList<TLayer> LayersOf<TLayer>() where TLayer : ILayer<T> => _layers.OfType<TLayer>().ToArray();

    /// <summary>Training or inference mode; setting it sets every layer's.</summary>
    public Mode Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            foreach (var layer in _layers) layer.Mode = value;
        }
    }

    /// <summary>The outputs (N x <see cref="OutputSize"/>) for a batch <paramref name="x"/> (N x <see cref="InputSize"/>).</summary>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, InputSize, "network input");
        Guard.Finite(x, "network input");
        var h = x;
        // An indexed loop: no enumerator per step.
        for (var i = 0; i < _layers.Length; i++) h = _layers[i].Forward(h);
        if (h.Cols != OutputSize)
            throw new InvalidOperationException($"The last layer ('{_layers[^1].Name}') gives {h.Cols} values per row, but the model was declared with {OutputSize} outputs.");
        return h;
    }

    /// <summary>
    /// Backpropagates ∂ℓ/∂output through every layer, setting every parameter's gradient. Returns ∂ℓ/∂input
    /// when the first layer computes it (e.g. a GAN's discriminator passing the gradient on to its generator),
    /// otherwise null.
    /// </summary>
    public Matrix<T>? Backward(Matrix<T> dOutput)
    {
        Matrix<T>? g = dOutput;
        for (var i = _layers.Length - 1; i >= 0 && g is not null; i--) g = _layers[i].Backward(g);
        return g;
    }
}
