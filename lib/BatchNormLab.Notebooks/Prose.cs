using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BatchNormLab.Notebooks;

/// <summary>Numbers in sentences as a reader writes them, not as .NET's "E" format prints them.</summary>
public static partial class Prose
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>
    /// Rewrites every number in .NET exponent notation in <paramref name="text"/> ("1.6E-006", "2.4E-012",
    /// "6.8E+003") as "1.6 × 10⁻⁶"; a zero mantissa ("0.0E+000") becomes "0".
    /// </summary>
    public static string Tidy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ExponentRegex().Replace(text, m =>
        {
            var mantissa = m.Groups["m"].Value;
            if (double.Parse(mantissa, CultureInfo.InvariantCulture) == 0) return "0";
            var exponent = int.Parse(m.Groups["e"].Value, CultureInfo.InvariantCulture);
            if (exponent == 0) return mantissa;
            var sb = new StringBuilder(mantissa).Append(" × 10");
            if (exponent < 0) sb.Append('⁻');
            foreach (var d in Math.Abs(exponent).ToString(CultureInfo.InvariantCulture)) sb.Append(Superscripts[d - '0']);
            return sb.ToString();
        });
    }

    [GeneratedRegex(@"(?<![\w.])(?<m>-?[0-9]+(?:\.[0-9]+)?)[eE](?<e>[+-]?[0-9]+)(?![\w.])")]
    private static partial Regex ExponentRegex();
}
