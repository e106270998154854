using BatchNormLab.Tensors;

namespace BatchNormLab.Notebooks.Tests;

public class FormatterTests
{
    [Fact]
    public void Chart_html_is_a_div_and_a_script_that_waits_for_plotly()
    {
        var chart = Charts.Lines("t", "x", "y", new Series("a", [1, 2, 3], [3, 1, 2]), new Series("b", [1, 2, 3], [0, 1, 0]));
        var html = PlotlyHtml.Render(chart);
        Assert.Contains("<div class=\"bnl-chart\" id=\"", html);
        Assert.Contains("Plotly.newPlot(", html);
        Assert.Contains("window.Plotly", html);
        Assert.Contains("\"name\":\"b\"", html);
    }

    [Fact]
    public void Series_with_mismatched_lengths_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y", new Series("loss", [1, 2, 3], [1, 2])));
        Assert.Contains("loss", e.Message);
    }

    [Fact]
    public void Small_matrices_are_shown_whole_and_large_ones_elided()
    {
        var small = Matrix<double>.FromRows([1.5, -2], [3, 0.000123]);
        var html = MatrixTable.Html(small, "x");
        Assert.Contains(">1.5<", html);
        Assert.Contains(">-2<", html);
        Assert.Contains(">1.23E-4<", html);
        Assert.Contains("2×2", html);
        Assert.DoesNotContain("…", html);
        var large = new Matrix<double>(100, 3);
        var elided = MatrixTable.Html(large, null);
        Assert.Contains("…", elided);
        Assert.Contains("100×3", elided);
        Assert.Equal(MatrixTable.MaxShown + 1, elided.Split("<tr>").Length - 1);
    }
}

public class ClaimTests
{
    [Fact]
    public void A_true_claim_is_shown_and_a_false_one_throws_naming_it()
    {
        Assert.Contains("✓ two is even", Claim.That("two is even", 2 % 2 == 0).ToHtml());
        var e = Assert.Throws<InvalidOperationException>(() => Claim.That("three is even", 3 % 2 == 0));
        Assert.Contains("three is even", e.Message);
    }
}

public class ChartHelperTests
{
    [Fact]
    public void A_band_is_a_filled_pair_of_edges_plus_its_middle_line()
    {
        double[] x = [0, 1, 2];
        var html = PlotlyHtml.Render(Charts.Bands("percentiles", "step", "input",
            new BandSeries("with BN", x, [-1, -1.2, -1.5], [0, 0.1, 0], [1, 1.2, 1.5]),
            new BandSeries("without BN", x, [-2, -1, -1.8], [0.5, 0.2, 0.4], [2.2, 1, 1.7])));
        Assert.Equal(2, html.Split("\"fill\":\"tonexty\"").Length - 1);
        Assert.Contains("\"name\":\"with BN\"", html);
        Assert.Contains("\"name\":\"without BN\"", html);
        Assert.Contains("\"y\":[2.2,1.0,1.7]", html);
    }

    [Fact]
    public void Histograms_are_binned_here_and_overlaid_as_bars()
    {
        var html = PlotlyHtml.Render(Charts.Histograms("h", "value", ("a", [0.0, 2, 2, 4]), ("b", [3.0, 4])));
        Assert.Contains("\"barmode\":\"overlay\"", html);
        Assert.Equal(2, html.Split("\"type\":\"bar\"").Length - 1);
        Assert.DoesNotContain("\"type\":\"histogram\"", html);   // the basic plotly bundle has no histogram trace
        var bins = Charts.HistogramBins;
        // 0..4 in 40 bins of 0.1: value 2 falls in bin 20, the maximum 4 in the last bin.
        var counts = new double[bins];
        counts[0] = 1; counts[20] = 2; counts[bins - 1] = 1;
        Assert.Contains("\"y\":[" + string.Join(",", counts.Select(c => c.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))) + "]", html);
    }

    [Fact]
    public void The_title_becomes_the_caption_and_the_chart_gets_a_text_alternative()
    {
        var html = PlotlyHtml.Render(Charts.Lines("Test accuracy", "training step", "test accuracy",
            new Series("without BN", [0, 1], [0.1, 0.5]), new Series("with BN", [0, 1], [0.1, 0.8])));
        Assert.Contains($"<figure class=\"{PageContract.FigureClass}\">", html);
        Assert.Contains("<figcaption>Test accuracy</figcaption>", html);
        Assert.Contains("aria-label=\"Line chart: Test accuracy. x: training step; y: test accuracy. Series: without BN, with BN.\"", html);
        Assert.DoesNotContain("\"title\":\"Test accuracy\"", html);
        Assert.Contains("\"tickformat\":\".0%\"", html);   // accuracy as a fraction is shown in %
    }

    [Fact]
    public void Batch_sizes_get_a_log_axis_and_training_steps_do_not()
    {
        var sizes = PlotlyHtml.Render(Charts.Lines("t", "batch size", "accuracy", new Series("BN", [2, 4, 8, 16, 60], [0.3, 0.7, 0.76, 0.78, 0.7])));
        Assert.Contains("\"type\":\"log\"", sizes);
        var steps = PlotlyHtml.Render(Charts.Lines("t", "training step", "accuracy", new Series("BN", [500, 1000, 1500, 2000], [0.3, 0.7, 0.76, 0.78])));
        Assert.DoesNotContain("\"type\":\"log\"", steps);
    }

    [Fact]
    public void Values_outside_zero_to_one_keep_their_axis()
    {
        var html = PlotlyHtml.Render(Charts.Lines("Loss", "step", "test accuracy (points)", new Series("a", [0, 1], [3, 12])));
        Assert.DoesNotContain("tickformat", html);
    }

    [Fact]
    public void With_and_without_BN_pairs_share_a_colour_and_enum_names_read_as_words()
    {
        var styles = Charts.Styles(["layer 1 without BN", "layer 1 with BN", "layer 2 without BN", "layer 2 with BN"]);
        Assert.Equal(styles[0].Color, styles[1].Color);
        Assert.Equal(styles[2].Color, styles[3].Color);
        Assert.NotEqual(styles[0].Color, styles[2].Color);
        Assert.Equal(["dot", "solid", "dot", "solid"], styles.Select(s => s.Dash));
        var single = Charts.Styles(["without BN", "with BN"]);
        Assert.NotEqual(single[0].Color, single[1].Color);

        Assert.Equal("no normalisation", HumanLabels.Of("None"));
        Assert.Equal("few classes / BN", HumanLabels.Of("FewClasses / BatchNorm"));
        Assert.Equal("η = 0.1", HumanLabels.Of("η = 0.1"));
        var bars = PlotlyHtml.Render(Charts.Bars("t", "accuracy", ["Shuffled / None"], ("inference mode", [0.5])));
        Assert.Contains("shuffled\\u003Cbr\\u003Eno normalisation", bars);
    }

    [Fact]
    public void Live_progress_outside_a_kernel_does_nothing_and_does_not_throw()
    {
        var progress = LiveProgress.Start("train");
        for (var i = 0; i <= 3; i++) progress.Report(i, 3, $"loss {i}");
        progress.Done("ok");
        Assert.True(progress.Elapsed >= TimeSpan.Zero);
    }
}

public class TrainingChartTests
{
    [Fact]
    public void Training_history_charts_skip_the_missing_step_zero_loss()
    {
        var history = new BatchNormLab.Training.TrainingHistory
        {
            Steps = 200, StepLoss = new float[200], EvaluationSteps = [0, 100, 200],
            TrainLoss = [double.NaN, 1.25, 0.75], TrainAccuracy = [double.NaN, 0.5, 0.7],
            TestAccuracy = [0.1, 0.6, 0.8], TestLoss = [2.3, 1.1, 0.8],
            EvaluationMode = BatchNormLab.Layers.Mode.Inference, EvaluationBatchSize = 1000,
            ProbeSteps = [], Layers = [], Histograms = [],
            Elapsed = TimeSpan.FromSeconds(1), EvaluationTime = TimeSpan.Zero, ProbeTime = TimeSpan.Zero,
        };
        var loss = PlotlyHtml.Render(TrainingCharts.TrainLoss(("BN", history)));
        Assert.Contains("\"x\":[100.0,200.0],\"y\":[1.25,0.75]", loss);
        var accuracy = PlotlyHtml.Render(TrainingCharts.TestAccuracy(("BN", history), ("plain", history)));
        Assert.Contains("\"y\":[0.1,0.6,0.8]", accuracy);
        Assert.Contains("\"name\":\"plain\"", accuracy);
    }
}
