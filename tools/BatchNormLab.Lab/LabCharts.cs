using System.Text;
using System.Text.Json;

namespace BatchNormLab.Lab;

/// <summary>What the page's charts show, as JSON for lab.js (written by hand: no reflection, so trimming keeps nothing extra).</summary>
public static class LabCharts
{
    /// <summary>The series of every network of <paramref name="session"/>; the histogram of hidden layer <paramref name="histogramLayer"/> (1-based).</summary>
    public static string Json(LabSession session, int histogramLayer)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("step", session.Step);
            w.WriteNumber("histogramLayer", histogramLayer);
            w.WriteStartArray("networks");
            foreach (var n in session.Networks)
            {
                w.WriteStartObject();
                w.WriteString("name", n.Name);
                w.WriteBoolean("bn", n.BatchNorm);
                Numbers(w, "evalSteps", n.EvaluationSteps.Select(s => (double)s));
                Numbers(w, "accuracy", n.TestAccuracy);
                Numbers(w, "loss", n.TestLoss);
                Numbers(w, "trainMode", n.TrainModeAccuracy);
                Numbers(w, "inferenceMode", n.InferenceModeAccuracy);
                Numbers(w, "probeSteps", n.ProbeSteps.Select(s => (double)s));
                w.WriteStartArray("bands");
                foreach (var layer in n.Bands)
                {
                    w.WriteStartArray();
                    foreach (var level in layer)
                    {
                        w.WriteStartArray();
                        foreach (var v in level) Number(w, v);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                if (n.Histograms[histogramLayer - 1] is { } h)
                {
                    w.WriteStartObject("histogram");
                    Numbers(w, "x", h.BinCenters());
                    // As fractions of all values, so networks and batch sizes compare.
                    Numbers(w, "y", h.Counts.Select(c => (double)c / h.Total));
                    w.WriteNumber("below", (double)h.Below / h.Total);
                    w.WriteNumber("above", (double)h.Above / h.Total);
                    w.WriteEndObject();
                }
                if (n.DivergedAt is { } d) w.WriteNumber("divergedAt", d);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v);
        w.WriteEndArray();
    }

    // JSON has no NaN: a missing value is null (plotly leaves a gap).
    private static void Number(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(Math.Round(v, 5));
        else w.WriteNullValue();
    }
}
