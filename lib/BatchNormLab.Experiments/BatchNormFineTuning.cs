namespace BatchNormLab.Experiments;

/// <summary>How the batch norm layers of a pretrained network behave while it is fine-tuned (<see cref="FineTuning"/>).</summary>
public enum BatchNormFineTuning
{
    /// <summary>
    /// Training mode, γ and β trainable: each batch is normalised with its own μ_B, σ²_B and the running estimates move
    /// to the new data (PyTorch's <c>model.train()</c>; Keras's <c>training=True</c> with <c>trainable=True</c>).
    /// </summary>
    TrainingMode,

    /// <summary>
    /// Inference mode, γ and β trainable: the pretrained running estimates normalise every batch and stay fixed
    /// (Keras's guide: call the base model with <c>training=False</c>, then unfreeze it).
    /// </summary>
    FrozenStatistics,

    /// <summary>Inference mode, γ and β frozen too (Keras's <c>trainable=False</c> on the BN layer, TF 2.0 and later).</summary>
    FrozenLayer,
}
