using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// What a <see cref="Figure1Recorder"/> measured in one run: test evaluations at its schedule, and the
/// probe set's sigmoid inputs at every probe, in inference mode (every network) and, for a network with
/// normalisation layers, also in training mode with the whole probe set as one batch.
/// </summary>
public sealed class Figure1Recording
{
    internal Figure1Recording(int[] evaluationSteps, int[] probeSteps, Figure1LayerRecord[] inference, Figure1LayerRecord[]? training,
        double[][][] gamma, double[][][] beta)
    {
        EvaluationSteps = evaluationSteps;
        TestAccuracy = new double[evaluationSteps.Length];
        TestLoss = new double[evaluationSteps.Length];
        ProbeSteps = probeSteps;
        Inference = inference;
        Training = training;
        Gamma = gamma;
        Beta = beta;
    }

    /// <summary>The steps the test set was evaluated at.</summary>
    public int[] EvaluationSteps { get; }

    /// <summary>Test accuracy at each evaluation step (inference mode: BN with its moving averages).</summary>
    public double[] TestAccuracy { get; }

    /// <summary>Mean test cross-entropy at each evaluation step.</summary>
    public double[] TestLoss { get; }

    /// <summary>The steps the probe set went through the network.</summary>
    public int[] ProbeSteps { get; }

    /// <summary>Per hidden layer: the probe set in inference mode (BN normalises with its moving averages; nothing is fixed).</summary>
    public IReadOnlyList<Figure1LayerRecord> Inference { get; }

    /// <summary>
    /// Per hidden layer, only for a network with BN: the probe set as one batch in training mode. There each
    /// unit's input has mean β and standard deviation γ·√(σ²/(σ² + ε)) ≈ |γ| by construction; null without BN.
    /// </summary>
    public IReadOnlyList<Figure1LayerRecord>? Training { get; }

    /// <summary>Gamma[layer][unit][k]: γ of each unit at each probe (empty without BN).</summary>
    public double[][][] Gamma { get; }

    /// <summary>Beta[layer][unit][k]: β of each unit at each probe (empty without BN).</summary>
    public double[][][] Beta { get; }

    /// <summary>Histograms of the probe set's sigmoid inputs in inference mode, by step then layer; each range spans its values.</summary>
    public List<HistogramSnapshot> InferenceHistograms { get; } = [];

    /// <summary>The same in training mode (BN only).</summary>
    public List<HistogramSnapshot> TrainingHistograms { get; } = [];

    /// <summary>Index of <paramref name="step"/> in <see cref="ProbeSteps"/>.</summary>
    public int ProbeIndex(int step)
    {
        var k = Array.IndexOf(ProbeSteps, step);
        return k >= 0 ? k : throw new ArgumentOutOfRangeException(nameof(step), step, "That step was not probed.");
    }

    /// <summary>The first evaluated step at which test accuracy reached <paramref name="accuracy"/>, or null.</summary>
    public int? StepsToReach(double accuracy)
    {
        for (var k = 0; k < TestAccuracy.Length; k++)
            if (TestAccuracy[k] >= accuracy) return EvaluationSteps[k];
        return null;
    }
}
