namespace BatchNormLab.Notebooks;

/// <summary>
/// A statement the notebook's prose makes, checked against the numbers the notebook just computed.
/// A false claim throws, so the headless run (and the tests) fail instead of publishing stale prose.
/// </summary>
/// <param name="Text">The claim, in words.</param>
public sealed record Claim(string Text)
{
    /// <summary>Returns a displayable ✓ line when <paramref name="holds"/>; throws naming the claim otherwise.</summary>
    public static Claim That(string text, bool holds) =>
        holds ? new Claim(text) : throw new InvalidOperationException($"Claim does not hold: {text}");

    /// <summary>The HTML shown for a claim that holds.</summary>
    public string ToHtml() =>
        $"<div class=\"{PageContract.ClaimClass}\" style=\"color: #1a7f37;\">✓ " + System.Net.WebUtility.HtmlEncode(Prose.Tidy(Text)) + "</div>";
}
