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
