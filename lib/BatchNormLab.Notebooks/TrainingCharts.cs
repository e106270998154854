using BatchNormLab.Training;
using XPlot.Plotly;

namespace BatchNormLab.Notebooks;

/// <summary>Charts of training runs (<see cref="TrainingHistory"/>), one series per named run.</summary>
public static class TrainingCharts
{
    /// <summary>Test accuracy at each evaluation, one line per run.</summary>
    public static PlotlyChart TestAccuracy(params (string Name, TrainingHistory History)[] runs) =>
        Charts.Lines("Test accuracy", "training step", "test accuracy", Evaluations(runs, h => h.TestAccuracy));

    /// <summary>Training loss averaged between evaluations, one line per run.</summary>
    public static PlotlyChart TrainLoss(params (string Name, TrainingHistory History)[] runs) =>
        Charts.Lines("Training loss", "training step", "cross-entropy", Evaluations(runs, h => h.TrainLoss));

    /// <summary>What <c>display(history)</c> shows: test accuracy and training loss.</summary>
    internal static string Html(TrainingHistory history) =>
        PlotlyHtml.Render(TestAccuracy(("run", history))) + PlotlyHtml.Render(TrainLoss(("run", history)));

    private static Series[] Evaluations((string Name, TrainingHistory History)[] runs, Func<TrainingHistory, double[]> values)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.Select(r =>
        {
            // Step 0 has no training loss (NaN); plotly would break the line there, so it is left out.
            var points = r.History.EvaluationSteps.Zip(values(r.History)).Where(p => double.IsFinite(p.Second)).ToArray();
            return new Series(r.Name, points.Select(p => (double)p.First).ToArray(), points.Select(p => p.Second).ToArray());
        }).ToArray();
    }
}
