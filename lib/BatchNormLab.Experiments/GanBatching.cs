namespace BatchNormLab.Experiments;

/// <summary>How a GAN discriminator's training batches are made.</summary>
public enum GanBatching
{
    /// <summary>An all-real batch, then an all-fake batch, and so on (ganhacks' advice; Irpan warns against it with BN).</summary>
    Alternating,

    /// <summary>Every batch half real, half fake (Irpan's advice).</summary>
    Mixed,
}
