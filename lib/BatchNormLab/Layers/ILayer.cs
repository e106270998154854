using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Layers;

/// <summary>
/// A layer of a feed-forward network on N x D batches. <see cref="Forward"/> remembers what
/// <see cref="Backward"/> needs; outputs live in buffers the layer reuses, so copy one
/// (<see cref="Matrix{T}.Clone"/>) to keep it past the next call.
/// </summary>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Short name for displays, e.g. "dense1" or "bn2".</summary>
    string Name { get; }

    /// <summary>Training or inference computation (only normalisation layers differ).</summary>
    Mode Mode { get; set; }

    /// <summary>The learnable parameters (empty for activations).</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Computes the output for a batch <paramref name="x"/>.</summary>
    Matrix<T> Forward(Matrix<T> x);

    /// <summary>
    /// Given ∂ℓ/∂output of the last forward pass, sets every parameter's gradient and returns
    /// ∂ℓ/∂input (null where the layer was told the input gradient is not needed).
    /// </summary>
    Matrix<T>? Backward(Matrix<T> dy);
}
