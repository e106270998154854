namespace BatchNormLab.Bench;

/// <summary>
/// The CPU as Linux reports it (/proc/cpuinfo): model name, vendor, family/model/stepping and the vector
/// extensions the kernels care about. Virtual machines often show a bare name ("AMD EPYC"), so the
/// numbers are printed too.
/// </summary>
internal static class CpuModel
{
    public static string Describe()
    {
        var fields = new Dictionary<string, string>();
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Length == 0) break; // first processor only
                var colon = line.IndexOf(':');
                if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown (no /proc/cpuinfo)";
        }
        string F(string key) => fields.TryGetValue(key, out var v) ? v : "?";
        var flags = F("flags").Split(' ').ToHashSet();
        var vectors = string.Join(" ", new[] { "avx2", "fma", "avx512f" }.Select(f => flags.Contains(f) ? f : "no " + f));
        return $"{F("model name")} ({F("vendor_id")}, family {F("cpu family")}, model {F("model")}, stepping {F("stepping")}; {vectors})";
    }
}
